import { EventEmitter, once } from 'node:events'
import { createDiagnostics, lineLevel, STATS_EVENT } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { BufferPump, OUTPUT_ERROR } from '../src/buffer-pump.ts'
import { TextLines } from '../src/line-store.ts'
import { resolveOptions } from '../src/options.ts'

const line = (level: number, n: number) => `{"level":${level},"time":1,"n":${n}}\n`

function pump(raw: Record<string, unknown>, output?: (chunk: string) => void) {
  const chunks: string[] = []
  const stderr: string[] = []
  const stream = new EventEmitter()
  const diagnostics = createDiagnostics({ source: 'test', write: (l) => stderr.push(l) })
  const options = resolveOptions(raw)
  const store = new TextLines(options.maxBytes !== undefined)
  const p = new BufferPump(options, store, output ?? ((c) => chunks.push(c)), stream, diagnostics, 10)
  // What the main-thread stream does with each line.
  const log = (line: string) => {
    store.push(line)
    p.added(lineLevel(line))
  }
  return { p, log, chunks, stderr, stream }
}

function identity(t: Test, p: BufferPump<string>) {
  const s = p.stats()
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0)
  t.equal(s.received, s.delivered + dropped + s.buffered, 'received = delivered + dropped + buffered')
  t.equal(s.buffered, p.held, 'buffered is what is really held')
}

t.test('a flushLevel record releases one joined chunk, byte for byte', async (t) => {
  const { p, log, chunks } = pump({ capacity: 10 })
  log(line(20, 1))
  log('{"level":"debug","n":2}\n')
  identity(t, p)
  log(line(50, 3))
  t.same(chunks, [`${line(20, 1)}{"level":"debug","n":2}\n${line(50, 3)}`])
  identity(t, p)
  t.same(p.stats(), { destination: 'memory-buffer', received: 3, delivered: 3, dropped: {}, retried: 0, buffered: 0 })
  p.close()
})

t.test('ring mode: counts ring-overwritten and keeps the identity', async (t) => {
  const { p, log, chunks } = pump({ capacity: 2, mode: 'ring', statsName: 'ring-a' })
  for (let n = 1; n <= 5; n++) log(line(30, n))
  identity(t, p)
  t.same(p.stats().dropped, { 'ring-overwritten': 3 })
  t.equal(p.stats().destination, 'ring-a')
  log(line(60, 6))
  t.same(chunks, [line(30, 5) + line(60, 6)])
  identity(t, p)
  p.close()
})

t.test('flushIntervalMs releases what is held on that period', async (t) => {
  const { p, log, chunks } = pump({ capacity: 100, flushIntervalMs: 20 })
  const alive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(alive))
  log(line(20, 1))
  log(line(20, 2))
  t.same(chunks, [])
  const started = Date.now()
  while (chunks.length === 0 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 5))
  t.same(chunks, [line(20, 1) + line(20, 2)], 'released by the timer')
  log(line(20, 3))
  p.close()
  t.same(chunks, [line(20, 1) + line(20, 2), line(20, 3)], 'close releases the rest')
  identity(t, p)
})

t.test('close releases, publishes final stats, is idempotent; late lines pass straight through', async (t) => {
  const { p, log, chunks, stream } = pump({ capacity: 100 })
  const seen: unknown[] = []
  stream.on(STATS_EVENT, (s) => seen.push(s))
  log(line(20, 1))
  p.close()
  t.equal(p.closed, true)
  t.same(chunks, [line(20, 1)])
  t.equal(seen.length, 1, 'published on close')
  p.close()
  t.equal(seen.length, 1, 'second close does nothing')
  log(line(20, 2))
  t.same(chunks, [line(20, 1), line(20, 2)], 'not held after close')
  t.equal(seen.length, 2)
  identity(t, p)
})

t.test('stats are published, throttled, while counts change', async (t) => {
  const { p, log, stream } = pump({ capacity: 100 })
  const alive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(alive))
  const got = once(stream, STATS_EVENT)
  log(line(20, 1))
  log(line(20, 2))
  const [stats] = await got
  t.equal(stats.received, 2)
  t.equal(stats.buffered, 2)
  p.close()
})

t.test('an output that throws: lines counted dropped, reported on stderr, never thrown', async (t) => {
  const { p, log, stderr } = pump({ capacity: 2 }, () => {
    throw new Error('disk full, password=hunter22')
  })
  log(line(20, 1))
  t.doesNotThrow(() => log(line(20, 2)))
  t.same(p.stats().dropped, { [OUTPUT_ERROR]: 2 })
  t.equal(stderr.length, 1)
  t.match(stderr[0], /could not pass on 2 record\(s\): disk full/)
  t.notMatch(stderr[0], /hunter22/, 'redacted')
  p.release()
  t.same(p.stats().dropped, { [OUTPUT_ERROR]: 2 }, 'an empty release sends nothing')
  identity(t, p)
  p.close()
})

t.test('an output that throws something other than an Error is reported too', async (t) => {
  const { p, log, stderr } = pump({ capacity: 1 }, () => {
    throw 'EPIPE'
  })
  log(line(20, 1))
  t.match(stderr[0], /could not pass on 1 record\(s\): EPIPE/)
  identity(t, p)
  p.close()
})

t.test('flush releases what is held, publishes the counts at once and returns them', async (t) => {
  const { p, log, chunks, stream } = pump({ capacity: 100 })
  const seen: unknown[] = []
  stream.on(STATS_EVENT, (s) => seen.push(s))
  log(line(20, 1))
  log(line(20, 2))
  const stats = p.flush()
  t.same(chunks, [line(20, 1) + line(20, 2)])
  t.same(stats, { destination: 'memory-buffer', received: 2, delivered: 2, dropped: {}, retried: 0, buffered: 0 })
  t.same(seen, [stats], 'published now, not at the next throttled report')
  p.close()
})
