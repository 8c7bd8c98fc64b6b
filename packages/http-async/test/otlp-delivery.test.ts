// format 'otlp' through the real transport against the real sink: answers, retries and the environment.
// What was sent is read with OpenTelemetry's own generated definitions (fixtures/otlp.ts).
import { once } from 'node:events'
import t from 'tap'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { resolveOptions } from '../src/options.ts'
import { HttpAsyncStream } from '../src/transport.ts'
import { type OtlpRecord, parseOtlp, partialSuccess } from './fixtures/otlp.ts'
import { deliver, line, oneBatch, PROTOCOLS } from './fixtures/otlp-deliver.ts'

/** A protobuf answer with an unknown field before partial_success and one inside it. */
function withUnknownFields(answer: Buffer): Buffer {
  // Field 2 (varint 5) at the top; partial_success (field 1) grows by field 3 (varint 1).
  const inner = Buffer.concat([answer.subarray(2), Buffer.from([0x18, 0x01])])
  return Buffer.concat([Buffer.from([0x10, 0x05, 0x0a, inner.length]), inner])
}

for (const protocol of PROTOCOLS) {
  const json = protocol === 'http/json'
  t.test(`${protocol}: a partial success counts the rejected records dropped, with the server's message`, async (t) => {
    const lines = Array.from({ length: 5 }, (_, i) => line({ msg: `r${i}` }))
    const body = partialSuccess(json, 2, 'timestamps too old')
    const { stats, diagnostics, requests } = await deliver(t, lines, { otlp: { protocol } }, { script: [{ body }] })
    t.same(stats, {
      destination: 'http-async',
      received: 5,
      delivered: 3,
      dropped: { 'otlp-rejected': 2 },
      retried: 0,
      buffered: 0,
    })
    t.equal(requests.length, 1, 'not retried')
    t.match(
      diagnostics.join('\n'),
      /rejected 2 of 5 log records \(OTLP partial success\): timestamps too old; dropped 2 records/,
    )
  })

  t.test(`${protocol}: answers that deliver everything, and a rejection held to the batch`, async (t) => {
    const lines = [line({ msg: 'a' }), line({ msg: 'b' })]
    const bodies: (string | Buffer)[] = [
      '',
      json ? '{}' : Buffer.alloc(0),
      partialSuccess(json, 0, 'just a warning'),
      json ? 'not json' : Buffer.from([0x0a, 0xff]), // unreadable: a 2xx all the same
      // The proto names in JSON; in protobuf, fields this does not know are skipped (a newer server).
      json ? '{"partial_success":{"rejected_log_records":1}}' : withUnknownFields(partialSuccess(json, 1) as Buffer),
      partialSuccess(json, 99),
    ]
    const outcomes: unknown[] = []
    for (const body of bodies) {
      const { stats } = await deliver(t, lines, { otlp: { protocol } }, { script: [{ body }] })
      outcomes.push([stats.delivered, stats.dropped])
    }
    t.same(outcomes, [
      [2, {}],
      [2, {}],
      [2, {}],
      [2, {}],
      [1, { 'otlp-rejected': 1 }],
      [0, { 'otlp-rejected': 2 }],
    ])
  })
}

t.test('retries follow the OTLP/HTTP specification: 429 502 503 504 only', async (t) => {
  const results: unknown[] = []
  for (const status of [400, 500, 408, 429, 502, 503, 504]) {
    const { stats, requests } = await deliver(t, [line({ msg: 'x' })], {}, { script: [status] })
    results.push([status, requests.length, stats.delivered, stats.dropped])
  }
  t.same(results, [
    [400, 1, 0, { 'http-400': 1 }],
    [500, 1, 0, { 'http-500': 1 }],
    [408, 1, 0, { 'http-408': 1 }],
    [429, 2, 1, {}],
    [502, 2, 1, {}],
    [503, 2, 1, {}],
    [504, 2, 1, {}],
  ])
})

t.test('the environment gives the endpoint, headers, protocol and compression', async (t) => {
  const sink = await startHttpSink({ parse: parseOtlp })
  t.teardown(() => sink.close())
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.port}/otel/`,
    OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme,authorization=Bearer%20t0ken',
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-tenant=logs-team',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
  }
  const stream = new HttpAsyncStream(
    resolveOptions({ format: 'otlp', headers: { 'X-Extra': '1' }, ...oneBatch }, '', env),
  )
  stream.write(`${line({ msg: 'via env' })}\n`)
  const closed = once(stream, 'close')
  stream.end()
  await closed
  const [request] = sink.requests
  t.match(request, {
    url: '/otel/v1/logs',
    headers: {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-tenant': 'logs-team',
      authorization: 'Bearer t0ken',
      'x-extra': '1',
    },
  })
  t.equal((sink.records[0] as OtlpRecord | undefined)?.body, 'via env')
})
