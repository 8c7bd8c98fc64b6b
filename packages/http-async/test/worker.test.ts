// pino.transport worker tests, against the BUILT package (a .ts target cannot load in a
// worker). Run `pnpm exec tsc -b packages/http-async` first.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import pino from 'pino'
import t from 'tap'
import { dep, runScript } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { closeTransport } from '../../../test/helpers/transport.ts'

const target = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const opts = { base: null, timestamp: false } as const

t.test('in a worker: records delivered, stats reach the main thread', async (t) => {
  const sink = await startHttpSink({ script: [503] })
  t.teardown(() => sink.close())
  const transport = pino.transport({
    target,
    options: { url: sink.url, statsName: 'http-worker', flushIntervalMs: 20, retryBaseDelayMs: 10 },
  })
  const stats: DeliveryStats[] = []
  transport.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  const logger = pino(opts, transport)
  for (let i = 0; i < 50; i++) logger.info({ i }, 'w')
  await sink.waitForRecords(50)
  await closeTransport(transport)
  t.ok(stats.length > 0, 'stats reached the main thread')
  t.same(
    sink.records.map((r) => r.i),
    Array.from({ length: 50 }, (_, i) => i),
  )
  t.same(stats.at(-1), {
    destination: 'http-worker',
    received: 50,
    delivered: 50,
    dropped: {},
    retried: stats.at(-1)?.retried,
    buffered: 0,
  })
  t.ok((stats.at(-1)?.retried ?? 0) > 0)
})

t.test('in targets, beside pino/file', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const file = join(mkdtempSync(join(tmpdir(), 'pa-haw-')), 'out.log')
  const transport = pino.transport({
    targets: [
      { target, options: { url: sink.url, format: 'ndjson', compression: 'gzip' }, level: 'warn' },
      { target: 'pino/file', options: { destination: file }, level: 'info' },
    ],
  })
  const stats: DeliveryStats[] = []
  transport.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  const logger = pino(opts, transport)
  logger.info('file only')
  logger.error('both')
  await closeTransport(transport)
  t.ok(stats.length > 0, 'stats reached the main thread')
  t.same(
    sink.records.map((r) => r.msg),
    ['both'],
  )
  t.equal(readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2)
})

t.test('a record logged right before process.exit(0) still arrives', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const result = await runScript(
    `
    import pino from ${JSON.stringify(dep('pino'))}
    const transport = pino.transport({ target: ${JSON.stringify(target)}, options: { url: ${JSON.stringify(sink.url)} } })
    const logger = pino(transport)
    logger.info({ last: true }, 'logged just before exit')
    process.exit(0)
    `,
    { timeoutMs: 20_000 },
  )
  t.equal(result.code, 0, result.stderr)
  t.equal(result.timedOut, false)
  const records = await sink.waitForRecords(1, 5000)
  t.match(records[0], { last: true, msg: 'logged just before exit' })
})

t.test('the documented host + url + POST form, in a worker', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const transport = pino.transport({
    target,
    options: { host: `127.0.0.1:${sink.port}`, url: '/log', method: 'POST' },
  })
  const stats: DeliveryStats[] = []
  transport.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  pino(opts, transport).warn('documented')
  await closeTransport(transport)
  t.ok(stats.length > 0, 'stats reached the main thread')
  t.same(sink.records, [{ level: 40, msg: 'documented' }])
})
