// Faults users meet with an HTTP endpoint, each against the real sink on loopback, with exact
// accounting: received = delivered + dropped + buffered at every check, and buffered is what
// the transport really holds.
import { once } from 'node:events'
import type { DeliveryStats } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import type { HttpAsyncOptions } from '../../packages/http-async/src/option-types.ts'
import { createHttpAsync, type HttpAsyncStream } from '../../packages/http-async/src/transport.ts'
import { type ScriptStep, startHttpSink } from '../helpers/http-sink.ts'
import { until } from '../helpers/until.ts'

const line = (i: number) => `{"level":30,"i":${i}}`

async function transport(t: Test, options: Record<string, unknown>) {
  const diagnostics: string[] = []
  const stream = await createHttpAsync(
    { retryBaseDelayMs: 20, retryMaxDelayMs: 100, flushIntervalMs: 10, ...options } as unknown as HttpAsyncOptions,
    { writeDiagnostic: (l) => diagnostics.push(l), statsIntervalMs: 5 },
  )
  t.teardown(() => {
    if (!stream.destroyed) stream.destroy()
  })
  return { stream, diagnostics }
}

const dropped = (s: DeliveryStats) => Object.values(s.dropped).reduce((a, b) => a + b, 0)

/** What breaks exact accounting now: the identity, and `buffered` against what the engine holds. */
function violations(stream: HttpAsyncStream): string[] {
  const s = stream.engine.stats()
  const wrong: string[] = []
  if (s.received !== s.delivered + dropped(s) + s.buffered) {
    wrong.push(`received ${s.received} != delivered ${s.delivered} + dropped ${dropped(s)} + buffered ${s.buffered}`)
  }
  if (s.buffered !== stream.engine.held) wrong.push(`buffered ${s.buffered} != held ${stream.engine.held}`)
  return wrong
}

/** The identity, and that `buffered` is what the engine holds (one assertion); returns the stats. */
function accounted(t: Test, stream: HttpAsyncStream): DeliveryStats {
  t.same(violations(stream), [], 'received = delivered + dropped + buffered; buffered is what is held')
  return stream.engine.stats()
}

async function end(stream: HttpAsyncStream): Promise<void> {
  const closed = once(stream, 'close')
  stream.end()
  await closed
}

const ids = (records: Record<string, unknown>[]) => records.map((r) => r.i)
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from)

t.test('endpoint down (connections refused) for a while, then up: nothing lost, order kept', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const { stream, diagnostics } = await transport(t, { url: sink.url, maxBatchRecords: 10 })
  for (let i = 0; i < 50; i++) stream.write(`${line(i)}\n`)
  await until(() => stream.engine.stats().retried >= 20, 'retries while refused')
  t.match(accounted(t, stream), { received: 50, delivered: 0, buffered: 50 })
  await sink.up()
  await sink.waitForRecords(50)
  t.same(ids(sink.records), range(50))
  await end(stream)
  t.match(accounted(t, stream), { received: 50, delivered: 50, dropped: {}, buffered: 0 })
  t.match(diagnostics.join(''), /ECONNREFUSED|connection/)
})

for (const [fault, script, reason] of [
  ['503s, then recovery', [503, 503, 503], /answered 503/],
  ['a hang past timeoutMs', [{ hang: true }], /timeoutMs/],
  ['a connection reset instead of an answer', [{ reset: true }], /socket|closed|reset/i],
  ['a connection dropped while the body is read', [{ partial: true }], /socket|closed|reset/i],
] as [string, ScriptStep[], RegExp][]) {
  t.test(`${fault}: the batch is retried, delivered once, in order`, async (t) => {
    const sink = await startHttpSink({ script })
    t.teardown(() => sink.close())
    const { stream, diagnostics } = await transport(t, { url: sink.url, maxBatchRecords: 5, timeoutMs: 300 })
    for (let i = 0; i < 10; i++) stream.write(`${line(i)}\n`)
    await sink.waitForRecords(10)
    t.same(ids(sink.records), range(10))
    await end(stream)
    t.match(accounted(t, stream), { received: 10, delivered: 10, dropped: {}, buffered: 0, retried: 5 * script.length })
    t.match(diagnostics.join(''), reason)
  })
}

t.test('429 with Retry-After: the retry waits as long as the server asked', async (t) => {
  const sink = await startHttpSink({ script: [{ status: 429, headers: { 'retry-after': '1' } }] })
  t.teardown(() => sink.close())
  const { stream } = await transport(t, { url: sink.url, retryMaxDelayMs: 30_000 })
  stream.write(`${line(1)}\n`)
  await sink.waitForRecords(1)
  const [first, second] = sink.requests
  t.ok((second?.at ?? 0) - (first?.at ?? 0) >= 900, 'about a second between the attempts')
  await end(stream)
  t.match(accounted(t, stream), { received: 1, delivered: 1, retried: 1 })
})

t.test('a server that reads slowly: the batch arrives whole, nothing dropped', async (t) => {
  const sink = await startHttpSink({ script: [{ slowReadMs: 20 }] })
  t.teardown(() => sink.close())
  const { stream } = await transport(t, { url: sink.url, maxBatchRecords: 2000 })
  const pad = 'x'.repeat(200)
  for (let i = 0; i < 2000; i++) stream.write(`{"level":30,"i":${i},"pad":"${pad}"}\n`)
  await sink.waitForRecords(2000, 20_000)
  t.same(ids(sink.records), range(2000))
  await end(stream)
  t.match(accounted(t, stream), { received: 2000, delivered: 2000, dropped: {}, buffered: 0 })
})

// A stall long enough to fill maxBufferBytes: records of exactly 100 bytes, a 2,000-byte buffer.
const record100 = (i: number) => {
  const head = `{"level":30,"i":${i},"p":"`
  return `${head}${'x'.repeat(100 - head.length - 2)}"}`
}
for (const overflow of ['drop-oldest', 'drop-newest'] as const) {
  t.test(`a stall fills maxBufferBytes (${overflow}): exact drops, memory bounded, the rest delivered`, async (t) => {
    // The first request hangs past timeoutMs; its retry waits 300 ms, and meanwhile 95 more
    // records arrive. (While a request is merely slow the stream holds the writer back instead:
    // that is backpressure, not an outage.)
    const sink = await startHttpSink({ script: [{ hang: true }] })
    t.teardown(() => sink.close())
    const diagnostics: string[] = []
    const stream = await createHttpAsync(
      {
        url: sink.url,
        maxBatchRecords: 5,
        flushIntervalMs: 10,
        maxBufferBytes: 2000,
        overflow,
        timeoutMs: 200,
        retryBaseDelayMs: 300,
        retryMaxDelayMs: 300,
      },
      { writeDiagnostic: (l) => diagnostics.push(l), statsIntervalMs: 5, random: () => 1 },
    )
    for (let i = 0; i < 5; i++) stream.write(`${record100(i)}\n`)
    await until(() => stream.engine.stats().retried === 5, 'the first timeout')
    // Checked after every write, one assertion over what went wrong at any of them.
    const problems: string[] = []
    for (let i = 5; i < 100; i++) {
      stream.write(`${record100(i)}\n`)
      problems.push(...violations(stream).map((v) => `after record ${i}: ${v}`))
      const held = stream.engine.stats().buffered
      if (held * 100 > 2000) problems.push(`after record ${i}: ${held} records held, over maxBufferBytes`)
    }
    t.same(problems, [], 'at every write: exact accounting, and never more than maxBufferBytes held')
    t.match(accounted(t, stream), { received: 100, buffered: 20, dropped: { overflow: 80 } })
    await sink.waitForRecords(20, 10_000)
    await end(stream)
    t.match(accounted(t, stream), { received: 100, delivered: 20, dropped: { overflow: 80 }, buffered: 0 })
    t.same(ids(sink.records), overflow === 'drop-oldest' ? range(20, 80) : range(20))
  })
}

t.test('malformed input: non-JSON, empty lines, a 10 MB line, invalid UTF-8; each counted, none crashes', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const { stream, diagnostics } = await transport(t, { url: sink.url })
  stream.write(`${line(0)}\n`)
  stream.write('not json at all\n\n\r\n')
  stream.write(`{"level":30,"i":1,"big":"${'x'.repeat(10 * 2 ** 20)}"}\n`)
  stream.write(
    Buffer.concat([Buffer.from('{"level":30,"i":2,"bad":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
  )
  stream.write(`${line(3)}\n`)
  await sink.waitForRequests(1)
  await end(stream)
  t.match(accounted(t, stream), {
    received: 5,
    delivered: 3,
    dropped: { 'not-json': 1, 'record-too-large': 1 },
    buffered: 0,
  })
  // Invalid UTF-8 goes as it came: the sink decodes it with replacement characters.
  t.same(ids(sink.records), [0, 2, 3])
  t.match(sink.records[1], { bad: '\ufffd\ufffd' })
  t.match(diagnostics.join(''), /not a JSON object/)
})

t.test('ndjson: lines go as they are, non-JSON included (the receiver decides)', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const { stream } = await transport(t, { url: sink.url, format: 'ndjson' })
  stream.write(`${line(0)}\nplain text\n`)
  await sink.waitForRequests(1)
  await end(stream)
  t.equal(sink.requests[0]?.body, `${line(0)}\nplain text\n`)
  t.match(accounted(t, stream), { received: 2, delivered: 2 })
})
