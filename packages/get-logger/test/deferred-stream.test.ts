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
}

const quiet = () => {
  const lines: string[] = []
  return { lines, diagnostics: createDiagnostics({ source: 'test', write: (l) => lines.push(l) }) }
}

t.test('lines written before the stream exists are handed over in order, then written through', async (t) => {
  const fake = new FakeStream()
  let resolve!: (s: LineStream) => void
  const deferred = new DeferredStream(new Promise((r) => (resolve = r)), quiet().diagnostics)
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

t.test('a factory that fails is reported and its records counted as dropped, never thrown', async (t) => {
  const { lines, diagnostics } = quiet()
  const deferred = new DeferredStream(Promise.reject(new Error('no route')), diagnostics)
  deferred.write('a\n')
  await deferred.close(1000)
  t.same(lines, ['test: a handler could not start: no route; 1 records dropped\n'])
})

t.test('takeUnsent: the transport says what it holds; before it exists, the held lines do', async (t) => {
  const early = new DeferredStream(new Promise<LineStream>(() => {}), quiet().diagnostics)
  early.write('{"a":1}\n')
  early.write('{"b":2}\n{"c":3}\n')
  t.same(early.takeUnsent(), { lines: ['{"a":1}', '{"b":2}', '{"c":3}'] })
  t.same(early.takeUnsent(), { lines: [] }, 'taken once')
  const fake = new FakeStream()
  const ready = new DeferredStream(Promise.resolve(fake), quiet().diagnostics)
  await new Promise((r) => setImmediate(r))
  ready.write('{"d":4}\n')
  t.same(ready.takeUnsent(), { lines: ['{"d":4}'] })
})
