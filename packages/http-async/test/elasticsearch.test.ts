// format 'elasticsearch' through the real transport against a real node:http sink answering
// like Elasticsearch's _bulk API: its items computed from the body it got.
import { once } from 'node:events'
import type { DeliveryStats } from '@pino-advanced/core'
import pino from 'pino'
import t, { type Test } from 'tap'
import { type HttpSink, type ScriptStep, type SinkRequest, startHttpSink } from '../../../test/helpers/http-sink.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import { createHttpAsync, type HttpAsyncStream } from '../src/transport.ts'

const fast = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, flushIntervalMs: 20 }

/** One action and its document, as the sink read them from a bulk body. */
interface BulkPair {
  readonly op: string
  readonly index: string
  readonly doc: Record<string, unknown>
  /** The document line as it came. */
  readonly line: string
}

function readBulk(body: string): BulkPair[] {
  const lines = body.split('\n')
  if (lines.pop() !== '') throw new Error('a bulk body ends with a newline')
  const pairs: BulkPair[] = []
  for (let i = 0; i < lines.length; i += 2) {
    const action = JSON.parse(lines[i] as string) as Record<string, { _index: string }>
    const [op, meta] = Object.entries(action)[0] as [string, { _index: string }]
    const line = lines[i + 1] as string
    pairs.push({ op, index: meta._index, doc: JSON.parse(line) as Record<string, unknown>, line })
  }
  return pairs
}

/**
 * A sink answering like Elasticsearch: each document `bad: true` refused (400
 * mapper_parsing_exception), each `busy: true` refused with 429 the first time it is seen,
 * the rest 201. `records` holds the pairs indexed (with a 2xx item), in arrival order.
 */
async function elasticSink(t: Test, script: ScriptStep[] = []): Promise<HttpSink> {
  const seen = new Set<string>()
  const indexed: BulkPair[][] = []
  const respond = (request: SinkRequest): ScriptStep => {
    const pairs = readBulk(request.body)
    const ok: BulkPair[] = []
    const items = pairs.map((pair) => {
      let result: Record<string, unknown> = { _index: pair.index, result: 'created', status: 201 }
      if (pair.doc.bad === true) {
        const error = { type: 'mapper_parsing_exception', reason: 'failed to parse field [bad] of type [long]' }
        result = { _index: pair.index, status: 400, error }
      } else if (pair.doc.busy === true && !seen.has(pair.line)) {
        seen.add(pair.line)
        const error = {
          type: 'es_rejected_execution_exception',
          reason: 'rejected execution of coordinating operation',
        }
        result = { _index: pair.index, status: 429, error }
      } else ok.push(pair)
      return { [pair.op]: result }
    })
    indexed.push(ok)
    const errors = ok.length < pairs.length
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ took: 2, errors, items }),
    }
  }
  // parse runs right after respond, for the same request.
  const parse = () => (indexed.shift() ?? []) as unknown as Record<string, unknown>[]
  const sink = await startHttpSink({ script, respond, parse })
  t.teardown(() => sink.close())
  return sink
}

async function transport(sink: HttpSink, options: Record<string, unknown>) {
  const diagnostics: string[] = []
  const stream = await createHttpAsync(
    { url: sink.url.replace('/log', '/_bulk'), format: 'elasticsearch', ...fast, ...options } as HttpAsyncOptions,
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

const pairs = (sink: HttpSink) => sink.records as unknown as BulkPair[]
const MIDNIGHT = Date.parse('2026-12-04T00:00:00.000Z')

t.test("a bulk body: per record an action line and the record's own bytes, NDJSON, to the url", async (t) => {
  const sink = await elasticSink(t)
  const { stream } = await transport(sink, { elasticsearch: { index: 'logs' } })
  const logger = pino({ base: null, timestamp: false }, stream)
  logger.info('one')
  logger.warn({ n: 2, nested: { time: 5 } }, 'two')
  await sink.waitForRecords(2)
  const [request] = sink.requests
  t.equal(request?.url, '/_bulk')
  t.equal(request?.headers['content-type'], 'application/x-ndjson')
  // One request or two (a loaded machine may cut the batch between the lines).
  t.equal(
    sink.requests.map((r) => r.body).join(''),
    '{"index":{"_index":"logs"}}\n{"level":30,"msg":"one"}\n' +
      '{"index":{"_index":"logs"}}\n{"level":40,"n":2,"nested":{"time":5},"msg":"two"}\n',
    'the documents byte for byte, nothing added',
  )
  t.same(await end(stream), {
    destination: 'http-async',
    received: 2,
    delivered: 2,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})

t.test("a dated index from each record's time (UTC): records either side of midnight go to two indices", async (t) => {
  const sink = await elasticSink(t)
  const { stream } = await transport(sink, { elasticsearch: { index: 'logs-%{+yyyy.MM.dd}' }, maxBatchRecords: 10 })
  const before = Date.now()
  const lines = [
    `{"level":30,"time":${MIDNIGHT - 1},"msg":"late"}`,
    `{"level":30,"time":${MIDNIGHT},"msg":"early"}`,
    `{"level":30,"time":"2026-12-03T23:30:00.000+00:00","msg":"iso"}`,
    `{"level":30,"time":"2026-12-04T01:30:00.000+02:00","msg":"iso, offset"}`,
    '{"level":30,"msg":"no time"}',
  ]
  stream.write(lines.map((l) => `${l}\n`).join(''))
  await sink.waitForRecords(lines.length)
  const after = Date.now()
  const today = (ms: number) => `logs-${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '.')}`
  const got = pairs(sink).map((p) => `${p.doc.msg} -> ${p.index}`)
  const noTime = got.pop()
  t.same(got, [
    'late -> logs-2026.12.03',
    'early -> logs-2026.12.04',
    'iso -> logs-2026.12.03',
    'iso, offset -> logs-2026.12.03',
  ])
  t.ok(
    [today(before), today(after)].includes(noTime?.split(' -> ')[1] ?? ''),
    `a record without time: today (${noTime})`,
  )
  t.same(
    pairs(sink).map((p) => p.line),
    lines,
    'each document is the record as it came',
  )
  await end(stream)
})

t.test(
  'opType create (data streams): create actions, @timestamp added from time unless the record has one',
  async (t) => {
    const sink = await elasticSink(t)
    const { stream } = await transport(sink, { elasticsearch: { index: 'logs-app-default', opType: 'create' } })
    stream.write(
      `{"level":30,"time":${MIDNIGHT},"msg":"a"}\n{"level":30,"@timestamp":"2026-01-01T00:00:00Z","msg":"b"}\n`,
    )
    await sink.waitForRecords(2)
    t.same(
      pairs(sink).map((p) => [p.op, p.index, p.line]),
      [
        [
          'create',
          'logs-app-default',
          `{"@timestamp":"2026-12-04T00:00:00.000Z","level":30,"time":${MIDNIGHT},"msg":"a"}`,
        ],
        ['create', 'logs-app-default', '{"level":30,"@timestamp":"2026-01-01T00:00:00Z","msg":"b"}'],
      ],
    )
    await end(stream)
  },
)

t.test(
  'item by item: refused documents dropped under es-400, 429 ones sent again alone, the rest delivered',
  async (t) => {
    const sink = await elasticSink(t)
    const { stream, diagnostics } = await transport(sink, { elasticsearch: { index: 'logs' }, maxBatchRecords: 100 })
    const kinds = ['ok', 'bad', 'busy', 'ok', 'ok', 'busy', 'bad', 'ok', 'ok', 'ok']
    const lines = kinds.map((kind, i) => `{"level":30,"i":${i},"${kind}":true}`)
    stream.write(lines.map((l) => `${l}\n`).join(''))
    await sink.waitForRecords(8)
    const stats = await end(stream)
    t.same(stats, {
      destination: 'http-async',
      received: 10,
      delivered: 8,
      dropped: { 'es-400': 2 },
      retried: 2,
      buffered: 0,
    })
    t.same(
      sink.requests.map((r) => readBulk(r.body).map((p) => p.doc.i)),
      [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [2, 5],
      ],
      'one batch, then only the two 429 documents',
    )
    const indexed = pairs(sink)
      .map((p) => p.doc.i as number)
      .sort((a, b) => a - b)
    t.same(indexed, [0, 2, 3, 4, 5, 7, 8, 9], 'every document but the refused ones, once each')
    const text = diagnostics.join('')
    t.match(text, /refused 2 of 10 documents with 400 \(mapper_parsing_exception: failed to parse field \[bad\]/)
    t.match(text, /refused 2 of 10 documents for now with 429 \(es_rejected_execution_exception/)
  },
)

t.test('documents refused with 429 every time: retried up to maxRetries, then dropped retries-exhausted', async (t) => {
  const sink = await startHttpSink({
    respond: (request) => {
      const items = readBulk(request.body).map((p) =>
        p.doc.busy
          ? { index: { status: 429, error: { type: 'es_rejected_execution_exception' } } }
          : { index: { status: 201 } },
      )
      return {
        status: 200,
        body: JSON.stringify({ took: 1, errors: items.some((i) => i.index.status === 429), items }),
      }
    },
    parse: () => [],
  })
  t.teardown(() => sink.close())
  const { stream } = await transport(sink, { elasticsearch: { index: 'logs' }, maxRetries: 2 })
  stream.write('{"level":30,"busy":true}\n{"level":30}\n')
  await sink.waitForRequests(3)
  const stats = await end(stream)
  t.same(stats.dropped, { 'retries-exhausted': 1 })
  t.same([stats.delivered, stats.retried], [1, 2])
  t.same(
    sink.requests.map((r) => readBulk(r.body).length),
    [2, 1, 1],
  )
})

t.test('a whole request refused: 413 splits the batch, 503 retries it, as with every format', async (t) => {
  const sink = await elasticSink(t, [413, 503])
  const { stream } = await transport(sink, { elasticsearch: { index: 'logs' }, maxBatchRecords: 100 })
  stream.write([0, 1, 2, 3].map((i) => `{"level":30,"i":${i}}\n`).join(''))
  await sink.waitForRecords(4)
  const stats = await end(stream)
  t.same(stats, { destination: 'http-async', received: 4, delivered: 4, dropped: {}, retried: 2, buffered: 0 })
  const sent = sink.requests.map((r) => ({ status: r.status, docs: readBulk(r.body).map((p) => p.doc.i) }))
  t.same(sent[0], { status: 413, docs: [0, 1, 2, 3] }, 'the whole batch first')
  t.same(
    sent.map((r) => r.status),
    [413, 503, 200, 200],
  )
  const delivered = sent.filter((r) => r.status === 200).map((r) => r.docs)
  t.same(
    delivered.sort(),
    [
      [0, 1],
      [2, 3],
    ],
    'each half delivered, the one refused with 503 sent again',
  )
})
