// format 'otlp' through the real transport against the real sink: the mapping of pino records.
// What was sent is read with OpenTelemetry's own generated definitions (fixtures/otlp.ts).
import { once } from 'node:events'
import { hostname } from 'node:os'
import pino from 'pino'
import t from 'tap'
import { type SinkRequest, startHttpSink } from '../../../test/helpers/http-sink.ts'
import { otlpEncoder } from '../src/format/otlp/encoder.ts'
import { resolveOptions } from '../src/options.ts'
import { HttpAsyncStream } from '../src/transport.ts'
import { decodeBody, type OtlpRecord, parseOtlp } from './fixtures/otlp.ts'
import { deliver, line, oneBatch, PROTOCOLS, T } from './fixtures/otlp-deliver.ts'

for (const protocol of PROTOCOLS) {
  t.test(`${protocol}: a pino logger's records, as the Collector reads them`, async (t) => {
    const sink = await startHttpSink({ parse: parseOtlp })
    t.teardown(() => sink.close())
    const options = resolveOptions(
      { url: `${sink.url}/v1/logs`, format: 'otlp', otlp: { protocol }, ...oneBatch },
      '',
      {},
    )
    const stream = new HttpAsyncStream(options, { writeDiagnostic: () => {} })
    const logger = pino({ name: 'api', level: 'trace' }, stream)
    const before = Date.now()
    logger.info({ user: { id: 7, roles: ['admin'] } }, 'signed in')
    logger.error(Object.assign(new Error('boom'), { code: 'E_BOOM' }), 'failed')
    const closed = once(stream, 'close')
    stream.end()
    await closed
    const [request] = sink.requests
    t.equal(request?.headers['content-type'], protocol === 'http/json' ? 'application/json' : 'application/x-protobuf')
    t.equal(request?.url, '/log/v1/logs')
    const [info, error] = sink.records as OtlpRecord[]
    t.same(info?.resource, {
      'service.name': 'api',
      'host.name': hostname(),
      'process.pid': process.pid,
    })
    t.equal(info?.scope, '@pino-advanced/http-async')
    t.match(info, {
      severityNumber: 9,
      severityText: 'INFO',
      body: 'signed in',
      attributes: { user: { id: 7, roles: ['admin'] } },
    })
    const ms = Number(BigInt(info?.timeUnixNano ?? '0') / 1_000_000n)
    t.ok(ms >= before && ms <= Date.now(), 'timeUnixNano is the record time')
    t.equal(info?.observedTimeUnixNano, info?.timeUnixNano)
    t.match(error, {
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'failed',
      attributes: { 'exception.type': 'Error', 'exception.message': 'boom', 'exception.code': 'E_BOOM' },
    })
    t.match(error?.attributes['exception.stacktrace'], /^Error: boom\n\s+at /)
    t.same(stream.engine.stats().delivered, 2)
  })
}

// The mapping, row by row: [line, what the record must hold].
const ROWS: readonly (readonly [string, Partial<OtlpRecord>])[] = [
  [line({ level: 10 }), { severityNumber: 1, severityText: 'TRACE' }],
  [line({ level: 20 }), { severityNumber: 5, severityText: 'DEBUG' }],
  [line({ level: 30 }), { severityNumber: 9, severityText: 'INFO' }],
  [line({ level: 40 }), { severityNumber: 13, severityText: 'WARN' }],
  [line({ level: 50 }), { severityNumber: 17, severityText: 'ERROR' }],
  [line({ level: 60 }), { severityNumber: 21, severityText: 'FATAL' }],
  [line({ level: 35 }), { severityNumber: 9, severityText: '35' }],
  [line({ level: 70 }), { severityNumber: 21, severityText: '70' }],
  [line({ level: 5 }), { severityNumber: 1, severityText: '5' }],
  [line({ level: 'warning' }), { severityNumber: 13, severityText: 'warning' }],
  [line({ level: 'INFO' }), { severityNumber: 9, severityText: 'INFO' }],
  [line({ level: 'notice' }), { severityNumber: 0, severityText: 'notice' }],
  [line({ level: { odd: 1 } }), { severityNumber: 0, severityText: '', attributes: { level: { odd: 1 } } }],
  [line({ msg: 'hello' }), { body: 'hello', timeUnixNano: `${T}000000`, observedTimeUnixNano: `${T}000000` }],
  [line({ msg: 5 }), { body: 5 }],
  [JSON.stringify({ time: 1, msg: 'epoch' }), { timeUnixNano: '1000000' }],
  [JSON.stringify({ time: T + 0.5 }), { timeUnixNano: `${T}500000` }],
  // Past 2^53 ns a double is not exact (and below 2^63: the generated fromObject reads int64 signed).
  [JSON.stringify({ time: 9_000_000_000_001 }), { timeUnixNano: '9000000000001000000' }],
  [JSON.stringify({ time: '2024-12-03T12:00:00.001Z' }), { timeUnixNano: '1733227200001000000' }],
  [JSON.stringify({ time: 'yesterday' }), { timeUnixNano: '0', attributes: { time: 'yesterday' } }],
  [JSON.stringify({ time: null }), { timeUnixNano: '0', attributes: { time: null } }],
  // A fraction that rounds up to the next millisecond.
  [JSON.stringify({ time: 1.9999999 }), { timeUnixNano: '2000000' }],
  [JSON.stringify({ time: 0.25 }), { timeUnixNano: '250000' }],
  ['plain text, not JSON', { body: 'plain text, not JSON', severityNumber: 0, attributes: {} }],
  ['[1,2]', { body: '[1,2]' }],
  ['{oops', { body: '{oops' }],
  [
    line({ err: { type: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at f', code: 'E1' } }),
    {
      attributes: {
        'exception.type': 'TypeError',
        'exception.message': 'bad',
        'exception.stacktrace': 'TypeError: bad\n    at f',
        'exception.code': 'E1',
      },
    },
  ],
  [line({ err: 'a string' }), { attributes: { err: 'a string' } }],
  [
    line({ trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736', span_id: '00f067aa0ba902b7', trace_flags: '01' }),
    { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1, attributes: {} },
  ],
  [line({ trace_flags: 0 }), { flags: 0, attributes: {} }],
  [
    line({ trace_id: 'xyz', span_id: '0000000000000000', trace_flags: 300 }),
    { traceId: '', spanId: '', attributes: { trace_id: 'xyz', span_id: '0000000000000000', trace_flags: 300 } },
  ],
  [line({ trace_flags: 'zz' }), { attributes: { trace_flags: 'zz' } }],
  [line({ name: 5, pid: 'p' }), { resource: {}, attributes: { name: 5, pid: 'p' } }],
]

for (const protocol of PROTOCOLS) {
  t.test(`${protocol}: the mapping, row by row`, async (t) => {
    const { records, stats } = await deliver(
      t,
      ROWS.map(([l]) => l),
      { otlp: { protocol } },
    )
    const wrong: string[] = []
    ROWS.forEach(([l, expected], i) => {
      const got = records[i] as OtlpRecord
      for (const [key, value] of Object.entries(expected)) {
        if (JSON.stringify(got?.[key]) !== JSON.stringify(value)) {
          wrong.push(`${l} → ${key}: ${JSON.stringify(got?.[key])}, expected ${JSON.stringify(value)}`)
        }
      }
    })
    t.same(wrong, [])
    t.same(stats.delivered, ROWS.length)
  })

  t.test(`${protocol}: attribute values of every JSON kind, and a record without a time`, async (t) => {
    const before = Date.now()
    const fields = {
      s: 'x',
      b: true,
      f: false,
      i: 42,
      neg: -7,
      big: 2 ** 40,
      huge: 2 ** 60,
      d: 1.5,
      n: null,
      arr: [1, 'a', [true], null],
      obj: { a: { b: 1 }, e: {} },
      emptyArr: [],
    }
    const { requests, records } = await deliver(t, [JSON.stringify(fields)], { otlp: { protocol } })
    const [record] = records
    t.same(record?.attributes, fields)
    // Integers within the safe range go as intValue, others as doubleValue; null as the empty AnyValue.
    type Request = {
      resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string; value: object }[] }[] }[] }[]
    }
    const request = decodeBody(requests[0] as SinkRequest) as unknown as Request
    const raw = request.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes ?? []
    const kinds = Object.fromEntries(raw.map((kv) => [kv.key, Object.keys(kv.value)[0] ?? 'empty']))
    t.same(kinds, {
      s: 'stringValue',
      b: 'boolValue',
      f: 'boolValue',
      i: 'intValue',
      neg: 'intValue',
      big: 'intValue',
      huge: 'doubleValue',
      d: 'doubleValue',
      n: 'empty',
      arr: 'arrayValue',
      obj: 'kvlistValue',
      emptyArr: 'arrayValue',
    })
    t.equal(record?.timeUnixNano, '0', 'no time: unknown')
    const observed = Number(BigInt(record?.observedTimeUnixNano ?? '0') / 1_000_000n)
    t.ok(observed >= before && observed <= Date.now(), 'observed when sent')
  })

  t.test(`${protocol}: a ResourceLogs per process, under the configured resource`, async (t) => {
    const lines = [
      line({ name: 'a', hostname: 'h1', pid: 1, msg: 'a1' }),
      line({ name: 'b', hostname: 'h1', pid: 2, msg: 'b1' }),
      line({ name: 'a', hostname: 'h1', pid: 1, msg: 'a2' }),
    ]
    const resource = { 'deployment.environment': 'prod', 'service.version': 3, beta: true, ratio: 0.5 }
    const { requests, records } = await deliver(t, lines, { otlp: { protocol, resource } })
    const request = decodeBody(requests[0] as SinkRequest) as { resourceLogs: unknown[] }
    t.equal(request.resourceLogs.length, 2)
    t.same(
      records.map((r) => [r.body, r.resource]),
      [
        ['a1', { ...resource, 'service.name': 'a', 'host.name': 'h1', 'process.pid': 1 }],
        ['a2', { ...resource, 'service.name': 'a', 'host.name': 'h1', 'process.pid': 1 }],
        ['b1', { ...resource, 'service.name': 'b', 'host.name': 'h1', 'process.pid': 2 }],
      ],
    )
  })
}

t.test('http/json: the body follows OTLP/JSON (names, ints as strings, enums as integers, hex ids)', async (t) => {
  const record = line({
    level: 30,
    msg: 'm',
    n: 3,
    d: 0.5,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    trace_flags: 1,
    pid: 4,
  })
  const { requests } = await deliver(t, [record], { otlp: { protocol: 'http/json', resource: { 'k.v': 1 } } })
  t.strictSame(JSON.parse(requests[0]?.body ?? ''), {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'k.v', value: { intValue: '1' } },
            { key: 'process.pid', value: { intValue: '4' } },
          ],
        },
        scopeLogs: [
          {
            scope: { name: '@pino-advanced/http-async' },
            logRecords: [
              {
                timeUnixNano: `${T}000000`,
                observedTimeUnixNano: `${T}000000`,
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: 'm' },
                attributes: [
                  { key: 'n', value: { intValue: '3' } },
                  { key: 'd', value: { doubleValue: 0.5 } },
                ],
                flags: 1,
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '00f067aa0ba902b7',
              },
            ],
          },
        ],
      },
    ],
  })
})

t.test('the configured resource wins; the fields it covers stay attributes of the record', async (t) => {
  const env = { OTEL_SERVICE_NAME: 'from-env', OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,team=core%20team' }
  const resource = { 'host.name': 'node-1', 'process.pid': 9 }
  const lines = [line({ name: 'pino-name', hostname: 'h', pid: 1, msg: 'm' })]
  const { records } = await deliver(t, lines, { otlp: { resource } }, {}, env)
  t.same(records[0]?.resource, {
    'service.name': 'from-env',
    team: 'core team',
    'host.name': 'node-1',
    'process.pid': 9,
  })
  t.same(records[0]?.attributes, { name: 'pino-name', hostname: 'h', pid: 1 })
})

// The encoders write bytes by hand: text of every width, integers of every size, messages
// whose lengths take more or fewer bytes than kept for them, a body past the writer's buffer.
for (const protocol of PROTOCOLS) {
  t.test(`${protocol}: every kind of text and number is written exactly`, async (t) => {
    const texts = {
      two: 'café',
      three: 'check ✓',
      pair: 'smile 😀',
      longAscii: 'a'.repeat(70),
      longUnicode: `${'é'.repeat(50)}😀`,
      escapes: 'quote " back \\ tab \t nl \n ctl \u0001',
      del: '\u007f',
    }
    const numbers = {
      negative: -5,
      big: 2 ** 40 + 3,
      minus232: -(2 ** 32),
      minSafe: -(2 ** 53 - 1),
      max32: 2 ** 32 - 1,
    }
    const big = 'b'.repeat(20_000) // a record past 16 KiB: its length takes 3 bytes
    const lines = [
      line({ level: 30, msg: 'texts', ...texts, nested: { k: texts.pair, list: [texts.two, -1, 2.5] } }),
      line({ level: 30, msg: 'numbers', ...numbers }),
      line({ msg: big }),
      JSON.stringify({ time: 5, level: 30 }),
      ...Array.from({ length: 400 }, (_, i) => line({ level: 30, msg: `filler ${i}`, pad: 'p'.repeat(200) })),
    ]
    const { records } = await deliver(t, lines, { otlp: { protocol } })
    t.equal(records.length, lines.length)
    t.match(records[0]?.attributes, { ...texts, nested: { k: texts.pair, list: [texts.two, -1, 2.5] } })
    t.same(records[1]?.attributes, numbers)
    t.equal(records[2]?.body, big)
    t.equal(records[3]?.timeUnixNano, '5000000')
    t.equal(records.at(-1)?.body, 'filler 399')
  })
}

t.test('http/protobuf: a lone surrogate of a short string takes 3 bytes, as protobufjs wrote it', async (t) => {
  const encoder = otlpEncoder({ protocol: 'http/protobuf', resource: {} })
  const body = encoder.encode([Buffer.from(JSON.stringify({ msg: 'x\ud800y' }))])
  t.ok(body.includes(Buffer.from([0x78, 0xed, 0xa0, 0x80, 0x79])))
})
