// format 'loki': the transport against a real node:http sink that reads Loki's push body.
import { once } from 'node:events'
import type { DeliveryStats } from '@pino-advanced/core'
import pino from 'pino'
import t, { type Test } from 'tap'
import { type HttpSink, type SinkOptions, type SinkRequest, startHttpSink } from '../../../test/helpers/http-sink.ts'
import { lokiEncoder } from '../src/format/loki/encode.ts'
import { readLokiOptions } from '../src/format/loki/options.ts'
import { basicAuthorization } from '../src/headers.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import { createHttpAsync, type HttpAsyncStream } from '../src/transport.ts'

const fast = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, flushIntervalMs: 20 }
const T0 = 1_700_000_000_123

/** One Loki entry as the sink read it. */
interface Entry extends Record<string, unknown> {
  readonly stream: Record<string, string>
  readonly ts: string
  readonly line: string
  readonly meta?: Record<string, string>
}

/** The entries of a push body, stream by stream (the sink's `parse`). */
function entries(request: SinkRequest): Entry[] {
  const body = JSON.parse(request.body) as { streams: { stream: Record<string, string>; values: unknown[][] }[] }
  return body.streams.flatMap(({ stream, values }) =>
    values.map(([ts, line, meta]) => ({ stream, ts, line, ...(meta === undefined ? {} : { meta }) }) as Entry),
  )
}

/** A sink answering 204 as Loki does, reading Loki's streams. */
async function lokiSink(t: Test, options: SinkOptions = {}): Promise<HttpSink> {
  const sink = await startHttpSink({ defaultStatus: 204, parse: entries, ...options })
  t.teardown(() => sink.close())
  return sink
}

async function transport(sink: HttpSink, options: Record<string, unknown>) {
  const diagnostics: string[] = []
  // Some options are refused by the types on purpose (run-time checks).
  const stream = await createHttpAsync(
    { url: sink.url, format: 'loki', ...fast, ...options } as unknown as HttpAsyncOptions,
    { writeDiagnostic: (line) => diagnostics.push(line), statsIntervalMs: 5 },
  )
  return { stream, diagnostics }
}

async function end(stream: HttpAsyncStream): Promise<DeliveryStats> {
  const closed = once(stream, 'close')
  stream.end()
  await closed
  return stream.engine.stats()
}

const rec = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, time: T0, ...fields })

/** All lines in one write: one chunk, one batch. */
function writeAll(stream: HttpAsyncStream, lines: readonly string[]) {
  stream.write(`${lines.join('\n')}\n`)
}

t.test('one request, streams grouped by labels (static + level), lines byte for byte, exact ns', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api', env: 'prod' } } })
  const lines = [
    rec({ msg: 'a' }),
    rec({ level: 50, msg: 'b', err: { message: 'x "quoted"' } }),
    rec({ msg: 'c', time: T0 + 1 }),
    rec({ level: 10, msg: 'd' }),
    rec({ level: 35, msg: 'custom' }),
    JSON.stringify({ level: 'warning', time: T0, msg: 'named by a formatter' }),
  ]
  writeAll(stream, lines)
  await sink.waitForRecords(lines.length)
  t.equal(sink.requests.length, 1)
  const [req] = sink.requests
  t.equal(req?.url, '/log')
  t.equal(req?.headers['content-type'], 'application/json')
  const body = JSON.parse(req?.body ?? '') as { streams: { stream: unknown; values: unknown[] }[] }
  t.same(
    body.streams.map((s) => [s.stream, s.values.length]),
    [
      [{ app: 'api', env: 'prod', level: 'info' }, 2],
      [{ app: 'api', env: 'prod', level: 'error' }, 1],
      [{ app: 'api', env: 'prod', level: 'trace' }, 1],
      [{ app: 'api', env: 'prod', level: '35' }, 1],
      [{ app: 'api', env: 'prod', level: 'warning' }, 1],
    ],
    'a stream per label set, in order of first appearance',
  )
  const got = (sink.records as Entry[]).map((e) => [e.ts, e.line])
  const want = [
    [`${T0}000000`, lines[0]],
    [`${T0 + 1}000000`, lines[2]],
    [`${T0}000000`, lines[1]],
    [`${T0}000000`, lines[3]],
    [`${T0}000000`, lines[4]],
    [`${T0}000000`, lines[5]],
  ]
  t.same(got, want, 'timestamps exact, as strings; each line the text pino wrote')
  t.same(await end(stream), {
    destination: 'http-async',
    received: 6,
    delivered: 6,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})

t.test('many custom level numbers: each its own level label', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' } } })
  const levels = Array.from({ length: 80 }, (_, i) => 100 + (i % 70))
  writeAll(
    stream,
    levels.map((level) => rec({ level })),
  )
  const records = (await sink.waitForRecords(levels.length)) as Entry[]
  const wrong = records.filter(
    (e) => !/^1\d\d$/.test(e.stream.level ?? '') || !e.line.includes(`"level":${e.stream.level}`),
  )
  t.same(wrong, [])
  t.equal(new Set(records.map((e) => e.stream.level)).size, 70)
  await end(stream)
})

t.test('labelFields: string, number and boolean values promoted; others stay in the line only', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, {
    loki: { labels: { app: 'api' }, labelFields: ['region', 'shard', 'canary'] },
  })
  const long = 'é'.repeat(1100) // 2200 bytes: past Loki's 2048-byte label value limit
  writeAll(stream, [
    rec({ region: 'eu', shard: 3, canary: true }),
    rec({ region: 'eu' }),
    rec({ region: { nested: 1 }, shard: null, canary: '' }),
    rec({ region: long }),
    rec({ region: 'x'.repeat(1000) }),
  ])
  const records = (await sink.waitForRecords(5)) as Entry[]
  t.same(
    records.map((e) => e.stream),
    [
      { app: 'api', region: 'eu', shard: '3', canary: 'true', level: 'info' },
      { app: 'api', region: 'eu', level: 'info' },
      { app: 'api', level: 'info' },
      { app: 'api', level: 'info' },
      { app: 'api', region: 'x'.repeat(1000), level: 'info' },
    ],
  )
  t.match(records[3]?.line, long, 'a value too long for a label is still in the line')
  await end(stream)
})

t.test('maxLabelSets bounds the label sets with promoted fields, over batches; nothing lost', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' }, labelFields: ['user'], maxLabelSets: 2 } })
  writeAll(stream, [rec({ user: 'u1' }), rec({ user: 'u2' }), rec({ user: 'u3' }), rec({ user: 'u1', level: 50 })])
  await sink.waitForRecords(4)
  // A later batch: the sets seen still go as they are; a new one does not.
  writeAll(stream, [rec({ user: 'u2' }), rec({ user: 'u4' })])
  const records = (await sink.waitForRecords(6)) as Entry[]
  t.equal(sink.requests.length, 2)
  t.same(
    records.map((e) => e.stream),
    [
      { app: 'api', user: 'u1', level: 'info' },
      { app: 'api', user: 'u2', level: 'info' },
      { app: 'api', level: 'info' },
      { app: 'api', level: 'error' },
      { app: 'api', user: 'u2', level: 'info' },
      { app: 'api', level: 'info' },
    ],
  )
  const violations = records.filter((e, i) => !e.line.includes(`"user":"u${[1, 2, 3, 1, 2, 4][i]}"`))
  t.same(violations, [], 'every line keeps its field')
  const stats = await end(stream)
  t.same([stats.delivered, stats.dropped], [6, {}])
})

t.test('structured metadata: the named fields as strings, a third element only when present', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, {
    loki: { labels: { app: 'api' }, structuredMetadataFields: ['trace_id', 'span', 'ctx', 'gone'] },
  })
  writeAll(stream, [rec({ trace_id: 'abc123', span: 42, ctx: { a: [1] }, gone: null }), rec({ msg: 'plain' })])
  const records = (await sink.waitForRecords(2)) as Entry[]
  t.strictSame(
    records.map((e) => e.meta),
    [{ trace_id: 'abc123', span: '42', ctx: '{"a":[1]}' }, undefined],
  )
  await end(stream)
})

t.test('time: an ISO string is read; without a usable time, the send time, distinct per entry', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' } } })
  const before = Date.now()
  writeAll(stream, [
    JSON.stringify({ level: 30, time: new Date(T0).toISOString() }),
    JSON.stringify({ level: 30, msg: 'no time' }),
    JSON.stringify({ level: 30, time: 'yesterday' }),
    JSON.stringify({ level: 30, time: -5 }),
    JSON.stringify({ level: 30, time: T0 + 0.75 }),
  ])
  const records = (await sink.waitForRecords(5)) as Entry[]
  const after = Date.now()
  t.equal(records[0]?.ts, `${T0}000000`)
  t.equal(records[4]?.ts, `${T0}000000`, 'a fraction of a millisecond is cut')
  const sent = records.slice(1, 4).map((e) => e.ts)
  const bad = sent.filter(
    (ts) => !/^\d{19}$/.test(ts) || Number(ts.slice(0, 13)) < before || Number(ts.slice(0, 13)) > after,
  )
  t.same(bad, [], 'the send time, in ns')
  t.equal(new Set(sent).size, 3, 'Loki would keep only one of entries with the same time and line')
  await end(stream)
})

t.test("line: 'message' sends msg; a record without a string msg goes whole", async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' }, line: 'message' } })
  const noMsg = rec({ n: 1 })
  writeAll(stream, [rec({ msg: 'hello "world"' }), noMsg])
  const records = (await sink.waitForRecords(2)) as Entry[]
  t.same(
    records.map((e) => e.line),
    ['hello "world"', noMsg],
  )
  await end(stream)
})

t.test('a line that is not a JSON object: sent as it is, static labels only (no level)', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' }, labelFields: ['user'] } })
  writeAll(stream, ['plain text from a pipe', '{"broken": ', '[1,2]'])
  const records = (await sink.waitForRecords(3)) as Entry[]
  t.same(
    records.map((e) => [e.stream, e.line]),
    [
      [{ app: 'api' }, 'plain text from a pipe'],
      [{ app: 'api' }, '{"broken": '],
      [{ app: 'api' }, '[1,2]'],
    ],
  )
  const stats = await end(stream)
  t.same([stats.delivered, stats.dropped], [3, {}])
})

t.test('without static labels, a stream with no level gets level "unknown" (Loki refuses none)', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, {})
  writeAll(stream, ['not json', JSON.stringify({ msg: 'no level' }), rec({ level: '' }), rec({ msg: 'info' })])
  const records = (await sink.waitForRecords(4)) as Entry[]
  t.same(
    records.map((e) => e.stream),
    [{ level: 'unknown' }, { level: 'unknown' }, { level: 'unknown' }, { level: 'info' }],
  )
  await end(stream)
})

t.test('tenant → X-Scope-OrgID; Basic auth credentials as Grafana Cloud takes them', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, {
    credentials: ['123456', 'glc_secret-token'],
    loki: { labels: { app: 'api' }, tenant: 'team-a' },
  })
  writeAll(stream, [rec({ msg: 'a' })])
  await sink.waitForRecords(1)
  const headers = sink.requests[0]?.headers
  t.equal(headers?.['x-scope-orgid'], 'team-a')
  t.equal(headers?.authorization, basicAuthorization({ user: '123456', password: 'glc_secret-token' }))
  await end(stream)
})

t.test("a user's X-Scope-OrgID header wins over loki.tenant", async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { headers: { 'X-Scope-OrgID': 'mine' }, loki: { tenant: 'team-a' } })
  writeAll(stream, [rec({ msg: 'a' })])
  await sink.waitForRecords(1)
  t.equal(sink.requests[0]?.headers['x-scope-orgid'], 'mine')
  await end(stream)
})

t.test('400 (too old, out of order, bad labels): dropped, counted, with what Loki said', async (t) => {
  const said = 'entry for stream \'{app="api"}\' has timestamp too old: 2020-01-01T00:00:00Z'
  const sink = await lokiSink(t, { script: [{ status: 400, body: said }] })
  const { stream, diagnostics } = await transport(sink, { loki: { labels: { app: 'api' } } })
  writeAll(stream, [rec({ msg: 'old' }), rec({ msg: 'older' })])
  await sink.waitForRequests(1)
  writeAll(stream, [rec({ msg: 'fine' })])
  await sink.waitForRecords(1)
  const stats = await end(stream)
  t.same([stats.delivered, stats.dropped, stats.retried], [1, { 'http-400': 2 }, 0])
  t.match(diagnostics.join(''), 'the endpoint answered 400: entry for stream')
  t.match(diagnostics.join(''), 'has timestamp too old')
})

t.test('429 (rate limited) and 5xx are retried, then delivered', async (t) => {
  const sink = await lokiSink(t, { script: [{ status: 429, body: 'Ingestion rate limit exceeded' }, 500] })
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' } } })
  writeAll(stream, [rec({ msg: 'a' }), rec({ msg: 'b' })])
  await sink.waitForRecords(2)
  t.same(
    sink.requests.map((r) => r.status),
    [429, 500, 204],
  )
  const stats = await end(stream)
  t.same([stats.delivered, stats.dropped, stats.retried], [2, {}, 4])
})

t.test('through pino: a logger with a time, its level as a label', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' } } })
  const logger = pino({ base: null }, stream)
  const before = Date.now()
  logger.warn({ user: 'u1' }, 'careful')
  const [entry] = (await sink.waitForRecords(1)) as Entry[]
  t.same(entry?.stream, { app: 'api', level: 'warn' })
  const record = JSON.parse(entry?.line ?? '{}') as { time: number; msg: string }
  t.same([entry?.ts, record.msg], [`${record.time}000000`, 'careful'])
  t.ok(record.time >= before)
  await end(stream)
})

t.test('lines of every kind of byte go exactly as they were written', async (t) => {
  const sink = await lokiSink(t)
  const { stream } = await transport(sink, { loki: { labels: { app: 'api' } } })
  const lines = [
    rec({ msg: 'café ✓ 😀', q: 'a "b" \\ c' }),
    'tab\there, bell\u0007, nl-less \r and \f \b',
    rec({ time: 1234, msg: 'an early time' }),
    ...Array.from({ length: 400 }, (_, i) => rec({ msg: `filler ${i}`, pad: 'p'.repeat(200) })),
  ]
  // Not UTF-8: what goes is the text it decodes to.
  stream.write(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]))
  writeAll(stream, lines)
  const records = (await sink.waitForRecords(lines.length + 1)) as Entry[]
  const byLine = new Map(records.map((e) => [e.line, e]))
  for (const l of lines) t.ok(byLine.has(l), l.slice(0, 40))
  t.ok(byLine.has('{"a":"\ufffd"}'), 'invalid UTF-8 as its replacement characters')
  t.equal(byLine.get(lines[2] as string)?.ts, '1234000000')
  await end(stream)
})

t.test('without a batch, each record is its own bytes', async (t) => {
  const options = readLokiOptions('', { format: 'loki', loki: { labels: { app: 'api' } } })
  const encoder = lokiEncoder(options as NonNullable<typeof options>, () => 7)
  const record = rec({ msg: 'a "q"' })
  const body = encoder.encode([Buffer.from(record), new Uint8Array(Buffer.from('plain'))])
  t.equal(
    body.toString(),
    `{"streams":[{"stream":{"app":"api","level":"info"},"values":[["${T0}000000",${JSON.stringify(record)}]]},` +
      '{"stream":{"app":"api"},"values":[["7000001","plain"]]}]}',
  )
})
