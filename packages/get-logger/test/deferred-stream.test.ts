import { EventEmitter } from 'node:events'
import { createDiagnostics, STATS_EVENT } from '@pino-advanced/core'
import t from 'tap'
import { DeferredStream, type LineStream } from '../src/deferred-stream.ts'

class FakeStream extends EventEmitter implements LineStream {
  lines: string[] = []
  write(chunk: string) {
    this.lines.push(chunk)
    return true
  }
  end() {
    setImmediate(() => this.emit('close'))
  }
  takeUnsent() {
    return { lines: this.lines.map((l) => l.trim()) }
  }
  async flush() {
    return {
      complete: true,
      stats: { destination: 'fake', received: 0, delivered: 0, dropped: {}, retried: 0, buffered: 0 },
    }
  }
}

const quiet = () => {
  const lines: string[] = []
  return { lines, diagnostics: createDiagnostics({ source: 'test', write: (l) => lines.push(l) }) }
}

t.test('lines written before the stream exists are handed over in order, then written through', async (t) => {
  const fake = new FakeStream()
  let resolve!: (s: LineStream) => void
  const deferred = new DeferredStream(new Promise((r) => (resolve = r)), quiet().diagnostics, 'http')
  t.equal(deferred.write('a\n'), true)
  deferred.write('b\n')
  resolve(fake)
  await new Promise((r) => setImmediate(r))
  deferred.write('c\n')
  t.same(fake.lines, ['a\n', 'b\n', 'c\n'])
  const seen: unknown[] = []
  deferred.on(STATS_EVENT, (s) => seen.push(s))
  fake.emit(STATS_EVENT, { destination: 'http-async' })
  t.same(seen, [{ destination: 'http-async' }], 'stats are re-emitted')
  await deferred.close(1000)
})

t.test('a factory that fails is reported and every record given to it counted dropped, never thrown', async (t) => {
  const { lines, diagnostics } = quiet()
  const deferred = new DeferredStream(Promise.reject(new Error('no route')), diagnostics, 'http')
  const seen: { received: number; dropped: Record<string, number> }[] = []
  deferred.on(STATS_EVENT, (s) => seen.push(s))
  deferred.write('a\n')
  deferred.write('b\nc\n')
  const flushed = await deferred.flush({ timeoutMs: 100 })
  deferred.write('d\n')
  await deferred.close(1000)
  t.same(lines, ['test: a handler could not start: no route; its records are dropped (3 so far)\n'])
  t.same(flushed, {
    complete: true,
    stats: { destination: 'http', received: 3, delivered: 0, dropped: { 'start-failed': 3 }, retried: 0, buffered: 0 },
  })
  t.match(seen.at(-1), { received: 4, dropped: { 'start-failed': 4 } }, 'later records are counted too')
})

t.test('flush: the transport flushes once it exists; a callback is called after', async (t) => {
  const fake = new FakeStream()
  const asked: unknown[] = []
  const stats = { destination: 'http', received: 1, delivered: 1, dropped: {}, retried: 0, buffered: 0 }
  ;(fake as unknown as { flush: LineStream['flush'] }).flush = async (options) => {
    asked.push(options)
    return { complete: true, stats }
  }
  let resolve!: (s: LineStream) => void
  const deferred = new DeferredStream(new Promise((r) => (resolve = r)), quiet().diagnostics, 'http')
  let called = 0
  const flushing = deferred.flush(() => called++)
  resolve(fake)
  t.same(await flushing, { complete: true, stats })
  t.same(await deferred.flush({ timeoutMs: 50 }), { complete: true, stats })
  t.same(asked, [{}, { timeoutMs: 50 }], 'the deadline is passed on')
  t.equal(called, 1)
  await deferred.close(1000)
})

t.test('takeUnsent: the transport says what it holds; before it exists, the held lines do', async (t) => {
  const early = new DeferredStream(new Promise<LineStream>(() => {}), quiet().diagnostics, 'http')
  early.write('{"a":1}\n')
  early.write('{"b":2}\n{"c":3}\n')
  t.same(early.takeUnsent(), { lines: ['{"a":1}', '{"b":2}', '{"c":3}'] })
  t.same(early.takeUnsent(), { lines: [] }, 'taken once')
  const fake = new FakeStream()
  const ready = new DeferredStream(Promise.resolve(fake), quiet().diagnostics, 'http')
  await new Promise((r) => setImmediate(r))
  ready.write('{"d":4}\n')
  t.same(ready.takeUnsent(), { lines: ['{"d":4}'] })
})
