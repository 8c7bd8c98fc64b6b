// pino.transport worker tests, against the BUILT package (a .ts target cannot load in a
// worker). Run `pnpm exec tsc -b packages/memory-buffer` first.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import t from 'tap'
import { closeTransport } from '../../../test/helpers/transport.ts'

const target = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const tmp = () => mkdtempSync(join(tmpdir(), 'pa-mbw-'))

// Deterministic lines, so that "byte for byte" can be checked against an exact string.
const opts = { level: 'trace', base: null, timestamp: false } as const
const expected = (records: [number, string][]) => records.map(([l, m]) => `{"level":${l},"msg":"${m}"}\n`).join('')

t.test('pipeline stage in a worker: released lines reach the next stage unchanged, in order', async (t) => {
  const file = join(tmp(), 'pipeline.log')
  const transport = pino.transport({
    pipeline: [
      { target, options: { capacity: 3, flushLevel: 'ERROR', statsName: 'mb-pipeline' } },
      { target: 'pino/file', options: { destination: file } },
    ],
  })
  const logger = pino(opts, transport)
  const records: [number, string][] = []
  for (let i = 0; i < 10; i++) {
    logger.debug(`d${i}`)
    records.push([20, `d${i}`])
  }
  logger.error('e')
  records.push([50, 'e'])
  logger.info('held until close')
  records.push([30, 'held until close'])
  const stats = await closeTransport(transport)
  t.equal(readFileSync(file, 'utf8'), expected(records))
  const last = stats.at(-1)
  t.same(last, { destination: 'mb-pipeline', received: 12, delivered: 12, dropped: {}, retried: 0, buffered: 0 })
})

t.test('ring mode in a pipeline: only the context before the error is passed on', async (t) => {
  const file = join(tmp(), 'ring.log')
  const transport = pino.transport({
    pipeline: [
      { target, options: { capacity: 3, mode: 'ring', flushLevel: 'warn' } },
      { target: 'pino/file', options: { destination: file } },
    ],
  })
  const logger = pino(opts, transport)
  for (let i = 0; i < 10; i++) logger.debug(`d${i}`)
  logger.warn('w')
  logger.debug('after')
  const stats = await closeTransport(transport)
  t.equal(
    readFileSync(file, 'utf8'),
    expected([
      [20, 'd8'],
      [20, 'd9'],
      [40, 'w'],
      [20, 'after'],
    ]),
    'the newest 3 with the warn; close releases the rest',
  )
  t.same(stats.at(-1)?.dropped, { 'ring-overwritten': 8 })
})

t.test('final target in targets, beside pino/file with its own level', async (t) => {
  const dir = tmp()
  const buffered = join(dir, 'buffered.log')
  const plain = join(dir, 'plain.log')
  const transport = pino.transport({
    targets: [
      { target, level: 'debug', options: { destination: buffered, capacity: 100, flushLevel: 'error' } },
      { target: 'pino/file', level: 'info', options: { destination: plain } },
    ],
  })
  const logger = pino(opts, transport)
  logger.trace('t')
  logger.debug('d')
  logger.info('i')
  logger.error('e')
  logger.debug('d2')
  const stats = await closeTransport(transport)
  t.equal(
    readFileSync(buffered, 'utf8'),
    expected([
      [20, 'd'],
      [30, 'i'],
      [50, 'e'],
      [20, 'd2'],
    ]),
  )
  t.equal(
    readFileSync(plain, 'utf8'),
    expected([
      [30, 'i'],
      [50, 'e'],
    ]),
  )
  t.same(stats.at(-1), {
    destination: 'memory-buffer',
    received: 4,
    delivered: 4,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})

t.test('single final target with flushIntervalMs: the timer releases while the app runs', async (t) => {
  const file = join(tmp(), 'timer.log')
  const transport = pino.transport({ target, options: { destination: file, flushIntervalMs: 50 } })
  const logger = pino(opts, transport)
  logger.debug('by the clock')
  const alive = setInterval(() => {}, 1000)
  const started = Date.now()
  let text = ''
  while (text === '' && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 20))
    try {
      text = readFileSync(file, 'utf8')
    } catch {}
  }
  clearInterval(alive)
  t.equal(text, expected([[20, 'by the clock']]), 'released before close')
  await closeTransport(transport)
})
