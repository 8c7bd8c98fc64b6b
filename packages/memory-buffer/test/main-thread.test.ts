import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError, createDiagnostics, type DeliveryStats, type FlushOutcome, STATS_EVENT } from '@pino-advanced/core'
import pino from 'pino'
import SonicBoomModule from 'sonic-boom'
import t from 'tap'
import { createMemoryBuffer, type LineSink } from '../src/main-thread.ts'
import type { MemoryBufferOptions } from '../src/options.ts'

const SonicBoom = SonicBoomModule as unknown as typeof import('sonic-boom').SonicBoom

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pa-mb-'))
}

function memorySink() {
  const writes: string[] = []
  let flushes = 0
  const sink: LineSink = {
    write: (chunk) => writes.push(chunk),
    flushSync: () => {
      flushes++
    },
  }
  return { sink, writes, flushes: () => flushes }
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '')

t.test('pino into createMemoryBuffer into a real sonic-boom file', async (t) => {
  const file = join(tmp(), 'out.log')
  const sonic = new SonicBoom({ dest: file, sync: false })
  await once(sonic, 'ready')
  const buffer = createMemoryBuffer({ capacity: 3, flushLevel: 'ERROR' }, sonic)
  // pino(stream) alone: pino must take it for a stream, not for options.
  const logger = pino(buffer)
  logger.level = 'trace'
  logger.debug('one')
  logger.info('two')
  t.equal(buffer.held, 2)
  logger.error('three: releases, itself included')
  t.equal(buffer.held, 0)
  logger.debug('four')
  logger.debug('five')
  logger.debug('six: capacity')
  logger.trace('seven: held until end')
  buffer.end()
  buffer.end()
  sonic.end()
  await once(sonic, 'close')
  const msgs = lines(readFileSync(file, 'utf8')).map((l) => JSON.parse(l).msg)
  t.same(msgs, [
    'one',
    'two',
    'three: releases, itself included',
    'four',
    'five',
    'six: capacity',
    'seven: held until end',
  ])
  t.same(buffer.stats(), {
    destination: 'memory-buffer',
    received: 7,
    delivered: 7,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})

t.test('inside pino.multistream beside another stream; ring mode gives context around an error', async (t) => {
  const { sink, writes } = memorySink()
  const buffer = createMemoryBuffer({ capacity: 3, mode: 'ring', flushLevel: 'warn' }, sink)
  const all: string[] = []
  const logger = pino(
    { level: 'debug' },
    pino.multistream([
      { level: 'debug', stream: buffer },
      { level: 'debug', stream: { write: (l: string) => all.push(l) } },
    ]),
  )
  for (let i = 1; i <= 5; i++) logger.debug(`d${i}`)
  logger.warn('w')
  t.same(
    writes.flatMap((w) => lines(w)).map((l) => JSON.parse(l).msg),
    ['d4', 'd5', 'w'],
  )
  t.same(writes.join(''), all.slice(3).join(''), 'lines passed on byte for byte')
  t.same(buffer.stats().dropped, { 'ring-overwritten': 3 })
})

t.test('write takes several lines in one chunk, or a piece with no newline', async (t) => {
  const { sink, writes } = memorySink()
  const buffer = createMemoryBuffer({ capacity: 100 }, sink)
  t.equal(buffer.write('{"level":20,"n":1}\n{"level":50,"n":2}\n{"level":20,"n":3}'), true)
  t.same(writes, ['{"level":20,"n":1}\n{"level":50,"n":2}\n'])
  t.equal(buffer.held, 1)
  buffer.write('')
  t.equal(buffer.stats().received, 3, 'an empty chunk is not a record')
  buffer.end()
  t.same(writes, ['{"level":20,"n":1}\n{"level":50,"n":2}\n', '{"level":20,"n":3}'])
})

t.test('flushSync releases and flushes the sink; a sink that cannot flush is reported, not thrown', async (t) => {
  const { sink, writes, flushes } = memorySink()
  const buffer = createMemoryBuffer({}, sink)
  buffer.write('{"level":20}\n')
  buffer.flushSync()
  t.same(writes, ['{"level":20}\n'])
  t.equal(flushes(), 1)
  const stderr: string[] = []
  const failing = createMemoryBuffer(
    {},
    {
      write: () => true,
      flushSync: () => {
        throw new Error('sonic boom is not ready yet')
      },
    },
    { diagnostics: createDiagnostics({ source: 'test', write: (l) => stderr.push(l) }) },
  )
  t.doesNotThrow(() => failing.flushSync())
  t.match(stderr.join(''), /the sink could not flush: sonic boom is not ready yet/)
  const bare = createMemoryBuffer({}, { write: () => true })
  t.doesNotThrow(() => bare.flushSync(), 'a sink without flushSync is fine')
})

t.test('logger.flush(cb) releases, then flushes the sink when it can', async (t) => {
  const { sink, writes } = memorySink()
  const buffer = createMemoryBuffer({}, sink)
  buffer.write('{"level":20}\n')
  await new Promise<void>((resolve) => buffer.flush(() => resolve()))
  t.same(writes, ['{"level":20}\n'])
  let flushed = 0
  const withFlush = createMemoryBuffer(
    {},
    {
      write: () => true,
      flush: (cb) => {
        flushed++
        cb()
      },
    },
  )
  buffer.flush()
  withFlush.flush(() => {})
  t.equal(flushed, 1)
})

const counts = (fields: Partial<DeliveryStats>): DeliveryStats => ({
  destination: 'memory-buffer',
  received: 0,
  delivered: 0,
  dropped: {},
  retried: 0,
  buffered: 0,
  ...fields,
})

t.test(
  "flush() with a pino-advanced transport as sink: released first, then the sink's outcome, its callback ignored",
  async (t) => {
    const writes: string[] = []
    const released: string[][] = []
    let answer: (outcome: FlushOutcome) => void = () => {}
    const buffer = createMemoryBuffer(
      {},
      {
        write: (chunk) => writes.push(chunk),
        // As a pino-advanced transport's flush: a promise of its outcome, and the callback
        // called (without an error, whatever the outcome) once it settles.
        flush(cb) {
          released.push([...writes])
          const outcome = new Promise<FlushOutcome>((resolve) => {
            answer = resolve
          })
          void outcome.then(() => cb())
          return outcome
        },
      },
    )
    buffer.write('{"level":20,"n":1}\n')
    let called = 0
    const flushed = buffer.flush(() => called++)
    await new Promise((r) => setImmediate(r))
    t.equal(called, 0, 'not done before the sink answered')
    answer({ complete: false, stats: counts({ destination: 'the-sink', received: 1, buffered: 1 }) })
    t.same(await flushed, { complete: false, stats: counts({ received: 1, delivered: 1 }) })
    t.same(released, [['{"level":20,"n":1}\n']], 'the held line reached the sink before its flush')
    t.equal(called, 1, 'the callback argument is called once done')
  },
)

t.test("flush() with a sonic-boom style sink: the callback's error makes it incomplete", async (t) => {
  const sink = (err?: Error): LineSink => ({ write: () => true, flush: (cb) => cb(err) })
  const failing = createMemoryBuffer({}, sink(new Error('EBADF')))
  failing.write('{"level":20}\n')
  t.same(await failing.flush(), { complete: false, stats: counts({ received: 1, delivered: 1 }) })
  const fine = createMemoryBuffer({}, sink())
  fine.write('{"level":20}\n')
  t.same(await fine.flush({ timeoutMs: 200 }), { complete: true, stats: counts({ received: 1, delivered: 1 }) })
})

t.test('flush() with a sink that cannot flush: complete once released; after end, the counts', async (t) => {
  const { sink, writes } = memorySink()
  const buffer = createMemoryBuffer({}, sink)
  buffer.write('{"level":20,"n":1}\n')
  t.same(await buffer.flush(), { complete: true, stats: counts({ received: 1, delivered: 1 }) })
  t.same(writes, ['{"level":20,"n":1}\n'])
  buffer.write('{"level":20,"n":2}\n')
  buffer.end()
  t.same(await buffer.flush(), { complete: true, stats: counts({ received: 2, delivered: 2 }) })
  t.same(writes, ['{"level":20,"n":1}\n', '{"level":20,"n":2}\n'], 'nothing written twice')
})

t.test('emits STATS_EVENT with its counts on end', async (t) => {
  const { sink } = memorySink()
  const buffer = createMemoryBuffer({ statsName: 'main-buffer' }, sink)
  buffer.write('{"level":20}\n')
  const got = once(buffer, STATS_EVENT)
  buffer.end()
  const [stats] = await got
  t.same(stats, { destination: 'main-buffer', received: 1, delivered: 1, dropped: {}, retried: 0, buffered: 0 })
})

t.test('options are validated at creation; destination is the sink, not an option here', async (t) => {
  t.throws(() => createMemoryBuffer({ capacity: -1 }, memorySink().sink), ConfigError)
  t.throws(() => createMemoryBuffer({ memory_capacity: 1 } as MemoryBufferOptions, memorySink().sink), {
    code: 'PA_UNKNOWN_OPTION',
  })
  t.throws(() => createMemoryBuffer({ destination: 1 }, memorySink().sink), {
    name: 'ConfigError',
    option: 'destination',
    message: /leave destination out/,
  })
})

t.test('process.exit() right after logging: an exit handler calling flushSync loses nothing', async (t) => {
  const dir = tmp()
  const out = join(dir, 'exit.log')
  const dist = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href
  const pinoUrl = import.meta.resolve('pino')
  const sonicUrl = import.meta.resolve('sonic-boom')
  const script = join(dir, 'exit.mjs')
  writeFileSync(
    script,
    `import pino from ${JSON.stringify(pinoUrl)}
import SonicBoom from ${JSON.stringify(sonicUrl)}
import { createMemoryBuffer } from ${JSON.stringify(dist)}
const sonic = new SonicBoom({ dest: ${JSON.stringify(out)}, sync: false })
sonic.on('ready', () => {
  const buffer = createMemoryBuffer({ capacity: 100, flushLevel: 'ERROR' }, sonic)
  process.on('exit', () => buffer.flushSync())
  const logger = pino({ level: 'debug' }, buffer)
  logger.debug('a')
  logger.debug('b')
  logger.debug('c')
  process.exit(0)
})
`,
  )
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 })
  t.equal(run.status, 0, run.stderr)
  t.same(
    lines(readFileSync(out, 'utf8')).map((l) => JSON.parse(l).msg),
    ['a', 'b', 'c'],
  )
})
