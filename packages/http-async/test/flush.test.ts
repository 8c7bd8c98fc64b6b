// flush() on the transport stream, against the real sink: on the main thread (the stream's own
// flush, pino's logger.flush(cb), a marker from the main thread) and in a pino worker (the worker
// tests use the BUILT package: run `pnpm build` first).
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { type DeliveryStats, FLUSHED_EVENT, type FlushReply, flushMarker } from '@pino-advanced/core'
import pino from 'pino'
import t, { type Test } from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { type HttpSink, type SinkOptions, startHttpSink } from '../../../test/helpers/http-sink.ts'
import { closeTransport } from '../../../test/helpers/transport.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import { createHttpAsync, type HttpAsyncStream } from '../src/transport.ts'

const target = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const pinoOpts = { base: null, timestamp: false } as const
// A partial batch would wait a minute for its interval: only a flush sends it in time.
const slow = { flushIntervalMs: 60_000, retryBaseDelayMs: 10, retryMaxDelayMs: 50, closeTimeoutMs: 500 }

const line = (i: number) => `{"level":30,"i":${i},"msg":"record ${i}"}\n`
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join('')
const ids = (records: Record<string, unknown>[]) => records.map((r) => r.i)
// Several requests at once may arrive in any order: what a flush promises is that all are there.
const sorted = (records: Record<string, unknown>[]) => (ids(records) as number[]).sort((a, b) => a - b)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

async function withSink(t: Test, options: SinkOptions = {}): Promise<HttpSink> {
  const sink = await startHttpSink(options)
  t.teardown(() => sink.close())
  return sink
}

/** A stream whose diagnostics are captured, ended (and closed) when the test ends. */
async function open(t: Test, options: HttpAsyncOptions): Promise<HttpAsyncStream> {
  const diagnostics: string[] = []
  const stream = await createHttpAsync({ ...slow, ...options }, { writeDiagnostic: (l) => diagnostics.push(l) })
  t.teardown(async () => {
    if (stream.closed) return
    const closed = once(stream, 'close')
    stream.end()
    await closed
  })
  return stream
}

/** Writes `text` and waits for the stream to take it. */
const write = (stream: HttpAsyncStream, text: string) =>
  new Promise<void>((resolve) => stream.write(text, () => resolve()))

t.test('await stream.flush(): every record written before it is at the sink', async (t) => {
  const sink = await withSink(t)
  const stream = await open(t, { url: sink.url })
  const logger = pino(pinoOpts, stream)
  for (let i = 0; i < 25; i++) logger.info({ i }, `record ${i}`)
  const outcome = await stream.flush()
  t.same(ids(sink.records), range(0, 25), 'all delivered, in order, a minute before their interval')
  t.same(outcome, {
    complete: true,
    stats: { destination: 'http-async', received: 25, delivered: 25, dropped: {}, retried: 0, buffered: 0 },
  })
  t.equal(stream.flush.length, 0, "no declared parameter: thread-stream awaits it for a worker's logger.flush()")
  t.same(await stream.flush(), { complete: true, stats: outcome.stats }, 'nothing new: complete at once')
})

t.test("the callback form: stream.flush(cb), and pino's logger.flush(cb) on the main thread", async (t) => {
  const sink = await withSink(t)
  const stream = await open(t, { url: sink.url })
  const logger = pino(pinoOpts, stream)
  for (let i = 0; i < 5; i++) logger.info({ i }, `record ${i}`)
  const atCallback = await new Promise<unknown[]>((resolve) => {
    stream.flush((...args: unknown[]) => resolve([ids(sink.records), args]))
  })
  t.same(atCallback, [range(0, 5), []], 'called, without an error, once the sink had them')
  for (let i = 5; i < 10; i++) logger.info({ i }, `record ${i}`)
  const atLoggerFlush = await new Promise<unknown>((resolve) => logger.flush(() => resolve(ids(sink.records))))
  t.same(atLoggerFlush, range(0, 10))
})

t.test('flush({ timeoutMs: 200 }) against an endpoint answering 503: not complete, records kept', async (t) => {
  const sink = await withSink(t, { defaultStatus: 503 })
  const stream = await open(t, { url: sink.url })
  await write(stream, lines(0, 4))
  const started = Date.now()
  const outcome = await stream.flush({ timeoutMs: 200 })
  const took = Date.now() - started
  t.equal(outcome.complete, false)
  t.ok(took >= 190 && took < 200 + 1000, `ended at its timeout (${took} ms)`)
  t.match(outcome.stats, { received: 4, delivered: 0, dropped: {}, buffered: 4 })
  t.ok(outcome.stats.retried > 0, 'the endpoint was tried, and retried')
  t.equal(stream.engine.held, 4, 'still buffered, for later delivery')
  t.same(sink.records, [])
})

t.test('a bad timeoutMs throws a ConfigError naming it', async (t) => {
  const sink = await withSink(t)
  const stream = await open(t, { url: sink.url })
  t.throws(() => stream.flush({ timeoutMs: -1 }), { name: 'ConfigError', option: 'timeoutMs' })
})

t.test('flush after end(): what was written is delivered; after the close, complete at once', async (t) => {
  const sink = await withSink(t)
  const stream = await open(t, { url: sink.url })
  await write(stream, lines(0, 3))
  const closed = once(stream, 'close')
  stream.end()
  const outcome = await stream.flush()
  t.equal(outcome.complete, true)
  t.same(ids(sink.records), range(0, 3))
  await closed
  const late = await stream.flush({ timeoutMs: 200 })
  t.same(late, { complete: true, stats: stream.engine.stats() })
})

for (const format of ['json', 'ndjson'] as const) {
  t.test(
    `a marker from the main thread (format ${format}): a FLUSHED_EVENT once delivered; never a record`,
    async (t) => {
      const sink = await withSink(t)
      const stream = await open(t, { url: sink.url, format })
      const replies: FlushReply[] = []
      stream.on(FLUSHED_EVENT, (reply: FlushReply) => replies.push(reply))
      const replied = once(stream, FLUSHED_EVENT)
      // The marker in the middle of a chunk, records on both sides.
      stream.write(`${lines(0, 6)}${flushMarker(77, 5000)}${lines(6, 8)}`)
      const [reply] = (await replied) as [FlushReply]
      t.equal(reply.id, 77)
      t.equal(reply.complete, true)
      t.match(reply.stats, { received: 8, dropped: {} }, 'the marker is not a record: the chunk holds 8')
      t.ok(reply.stats.delivered >= 6)
      t.same(ids(sink.records).slice(0, 6), range(0, 6), 'everything before the marker was delivered when it answered')
      t.same(await stream.flush(), { complete: true, stats: stream.engine.stats() })
      t.same(ids(sink.records), range(0, 8))
      t.match(stream.engine.stats(), { received: 8, delivered: 8, dropped: {} })
      t.equal(replies.length, 1, "the stream's own flush is answered by its promise, not the event")
      const leaked = sink.requests.filter((r) => r.body.includes('pinoAdvancedFlush'))
      t.same(leaked, [], 'the marker is in no request body')
    },
  )
}

t.test('a marker from the main thread with a timeoutMs, against a 503 endpoint: answered not complete', async (t) => {
  const sink = await withSink(t, { defaultStatus: 503 })
  const stream = await open(t, { url: sink.url })
  const replied = once(stream, FLUSHED_EVENT)
  stream.write(`${line(0)}${flushMarker(5, 200)}`)
  const [reply] = (await replied) as [FlushReply]
  t.match(reply, { id: 5, complete: false, stats: { received: 1, delivered: 0, buffered: 1 } })
})

t.test('with a spool, flush delivers the records waiting on disk too', async (t) => {
  const sink = await withSink(t)
  // About 40 bytes a record: memory takes 25 of them, the rest waits in the spool.
  const stream = await open(t, { url: sink.url, maxBufferBytes: 1000, spool: { dir: tempDir() } })
  await write(stream, lines(0, 100))
  t.ok(stream.engine.held < 100, `${stream.engine.held} records in memory, the rest on disk`)
  t.equal(stream.engine.stats().received, 100)
  t.equal(sink.requests.length, 0, 'nothing sent yet: a partial batch waits for its interval')
  const outcome = await stream.flush()
  t.equal(outcome.complete, true)
  t.same(sorted(sink.records), range(0, 100), 'every record, those read back from the spool included')
  const replied = once(stream, FLUSHED_EVENT)
  stream.write(`${lines(100, 150)}${flushMarker(9)}`)
  const [reply] = (await replied) as [FlushReply]
  t.equal(reply.complete, true, 'a marker in the same chunk as the records it follows')
  t.same(sorted(sink.records), range(0, 150))
})

t.test('with a spool, a flush after a close that kept records on disk: not complete', async (t) => {
  const sink = await withSink(t, { defaultStatus: 503 })
  const dir = tempDir()
  const stream = await open(t, { url: sink.url, spool: { dir } })
  await write(stream, lines(0, 4))
  const closed = once(stream, 'close')
  stream.end()
  await closed
  const outcome = await stream.flush({ timeoutMs: 200 })
  t.match(outcome, { complete: false, stats: { received: 4, delivered: 0, dropped: {}, buffered: 4 } })
  t.same(sink.records, [], 'kept in the spool for the next start, not delivered')
})

t.test('a flush still waiting when the stream is destroyed is settled, not left hanging', async (t) => {
  // Half the buffer taken while the endpoint keeps up (slowly): the stream holds the rest of the
  // chunk back, so the flush's marker waits in the stream's own queue.
  const sink = await withSink(t, { defaultDelayMs: 50 })
  // 100 records of about 38 bytes: past half of 4000 bytes, and within the whole of it.
  const stream = await open(t, { url: sink.url, maxBufferBytes: 4000, maxBatchRecords: 10 })
  stream.write(lines(0, 100))
  let outcome: { complete: boolean; stats: DeliveryStats } | undefined
  const flushed = stream.flush().then((o) => {
    outcome = o
  })
  t.ok(stream.writableLength > 0, 'the marker is queued behind the chunk held back')
  const closed = once(stream, 'close')
  stream.destroy()
  await closed
  await flushed
  t.equal(outcome?.complete, true, 'the close delivered everything before it')
  t.same(outcome?.stats, stream.engine.stats(), 'its counts once the stream closed')
  t.same(sorted(sink.records), range(0, 100))
})

t.test('in a worker: logger.flush(cb) calls back once the sink has every record', async (t) => {
  const sink = await withSink(t)
  const transport = pino.transport({ target, options: { url: sink.url, ...slow } })
  t.teardown(() => closeTransport(transport))
  const logger = pino(pinoOpts, transport)
  await once(transport, 'ready')
  for (let i = 0; i < 30; i++) logger.info({ i }, `record ${i}`)
  const alive = setInterval(() => {}, 1000)
  const atCallback = await new Promise<unknown>((resolve) => logger.flush(() => resolve(ids(sink.records))))
  clearInterval(alive)
  t.same(atCallback, range(0, 30), 'every record, a minute before its interval')
})

t.test('in a worker: a marker from the main thread is answered by a FLUSHED_EVENT there', async (t) => {
  const sink = await withSink(t)
  const transport = pino.transport({ target, options: { url: sink.url, ...slow } })
  t.teardown(() => closeTransport(transport))
  await once(transport, 'ready')
  const alive = setInterval(() => {}, 1000)
  const replied = once(transport, FLUSHED_EVENT)
  transport.write(`${lines(0, 3)}${flushMarker(12)}`)
  const [reply] = (await replied) as [FlushReply]
  clearInterval(alive)
  t.match(reply, { id: 12, complete: true, stats: { received: 3, delivered: 3 } })
  t.same(ids(sink.records), range(0, 3))
})
