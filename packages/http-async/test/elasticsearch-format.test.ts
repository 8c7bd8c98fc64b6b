// Format 'elasticsearch' piece by piece: the index pattern, its options, reading a record's
// time from its bytes, the bulk body (the answer: elasticsearch-answer.test.ts). The transport
// itself against a sink answering like Elasticsearch is elasticsearch.test.ts.
import { ConfigError } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { elasticsearchEncoder } from '../src/format/elasticsearch/encode.ts'
import { compileIndexPattern } from '../src/format/elasticsearch/index-pattern.ts'
import { KeyFinder, recordTime } from '../src/format/elasticsearch/record-scan.ts'
import { resolveOptions } from '../src/options.ts'

const url = 'https://es.example.com:9200/_bulk'
const es = (elasticsearch?: unknown, more: Record<string, unknown> = {}) =>
  resolveOptions({ url, format: 'elasticsearch', elasticsearch, ...more })

/** Asserts a ConfigError naming `option` (with the preset's prefix too) whose message matches. */
function rejects(t: Test, raw: Record<string, unknown>, option: string, message: RegExp) {
  const wrong: string[] = []
  for (const prefix of ['', 'http_handler']) {
    const name = prefix === '' ? option : `${prefix}.${option}`
    try {
      resolveOptions({ url, ...raw }, prefix)
      wrong.push(`${name}: accepted`)
    } catch (err) {
      const ok = err instanceof ConfigError && err.option === name && err.message.startsWith(`${name}:`)
      if (!ok || !message.test(err.message)) wrong.push(`${name}: ${(err as Error).message}`)
    }
  }
  t.same(wrong, [], `${JSON.stringify(raw).slice(0, 90)} -> ${option}`)
}

const at = (iso: string) => Date.parse(iso)

t.test('index pattern: a name as it is, or the record date in UTC as Logstash writes it', async (t) => {
  const cases: [string, string, string][] = [
    ['logs', '2026-12-03T10:00:00Z', 'logs'],
    ['logs-%{+yyyy.MM.dd}', '2026-12-03T23:59:59.999Z', 'logs-2026.12.03'],
    ['logs-%{+yyyy.MM.dd}', '2026-12-04T00:00:00.000Z', 'logs-2026.12.04'],
    ['app-%{+yyyy.MM.dd.HH}', '2026-01-05T07:30:00+02:00', 'app-2026.01.05.05'],
    ['app-%{+yy_MM}-x', '2009-02-01T00:00:00Z', 'app-09_02-x'],
    ['pino-%{DATE}', '2026-12-03T10:00:00Z', 'pino-2026-12-03'],
    ['%{+yyyy}-%{+MM}', '0999-03-01T00:00:00Z', '0999-03'],
  ]
  const wrong = cases.flatMap(([pattern, time, expected]) => {
    const name = compileIndexPattern('elasticsearch.index', pattern).name(at(time))
    return name === expected ? [] : [`${pattern} at ${time}: ${name}, not ${expected}`]
  })
  t.same(wrong, [])
  t.equal(compileIndexPattern('i', 'logs').fixed, 'logs', 'a name without a date part needs no record read')
  t.equal(compileIndexPattern('i', 'logs-%{+yyyy}').fixed, undefined)
})

t.test('index pattern: names Elasticsearch refuses, and date parts it cannot read, are ConfigErrors', async (t) => {
  const cases: [string, RegExp][] = [
    ['Logs', /lowercase/],
    ['logs-%{+yyyy}-A', /lowercase/],
    ['', /non-empty string/],
    ...['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':', '\n'].map((c): [string, RegExp] => [
      `lo${c}gs`,
      /cannot contain/,
    ]),
    ['-logs', /cannot start with -, _ or \+/],
    ['_logs', /cannot start/],
    ['+logs', /cannot start/],
    ['.', /cannot be "\." or "\.\."/],
    ['..', /cannot be/],
    ['x'.repeat(256), /at most 255 bytes/],
    [`${'x'.repeat(250)}%{+yyyy.MM}`, /at most 255 bytes/],
    ['logs-%{+yyyy.ww}', /"w" .* not a supported date token/],
    ['logs-%{+YYYY}', /"Y" .* not a supported date token/],
    ['logs-%{+yyyy/MM}', /cannot contain "\/"/],
    ['logs-%{host}', /"%\{host\}" is not supported/],
    ['logs-%{+}', /"%\{\+\}" is not supported/],
    ['logs-%{+yyyy', /without its "\}"/],
  ]
  for (const [index, message] of cases)
    rejects(t, { format: 'elasticsearch', elasticsearch: { index } }, 'elasticsearch.index', message)
  t.ok(compileIndexPattern('i', '.hidden-é'), 'a leading dot and non-ASCII are allowed, as in Elasticsearch')
  t.throws(() => compileIndexPattern('i', ''), /^i: received ""; an index name cannot be empty$/)
})

t.test('options: index and opType resolved, undefined with another format, each mistake named', async (t) => {
  t.same(es().elasticsearch, { index: 'pino-%{+yyyy.MM.dd}', opType: 'index' }, 'a daily pino- index by default')
  t.same(es({ index: 'logs-app-default', opType: 'create' }).elasticsearch, {
    index: 'logs-app-default',
    opType: 'create',
  })
  t.ok(Object.isFrozen(es().elasticsearch))
  t.equal(resolveOptions({ url }).elasticsearch, undefined)
  t.equal(es(undefined, { method: 'PUT' }).method, 'PUT')
  rejects(
    t,
    { elasticsearch: { index: 'logs' } },
    'elasticsearch',
    /only read with format 'elasticsearch' \(format is 'json'\)/,
  )
  rejects(t, { format: 'ndjson', elasticsearch: {} }, 'elasticsearch', /format is 'ndjson'/)
  rejects(t, { format: 'elasticsearch', elasticsearch: 'logs' }, 'elasticsearch', /an options object/)
  rejects(
    t,
    { format: 'elasticsearch', elasticsearch: { indx: 'a' } },
    'elasticsearch.indx',
    /did you mean (http_handler\.)?elasticsearch\.index\?/,
  )
  rejects(
    t,
    { format: 'elasticsearch', elasticsearch: { opType: 'update' } },
    'elasticsearch.opType',
    /'index', 'create'/,
  )
  rejects(t, { format: 'elasticsearch', elasticsearch: { index: 3 } }, 'elasticsearch.index', /non-empty string/)
  rejects(t, { format: 'elasticsearch', method: 'GET' }, 'method', /use 'POST' or 'PUT', not 'GET'/)
})

t.test("a record's time read from its bytes: pino's epoch ms or an ISO string, -1 otherwise", async (t) => {
  const cases: [string, number][] = [
    ['{"level":30,"time":1796342400000,"msg":"a"}', 1796342400000],
    ['{"time":1796342400000}', 1796342400000],
    ['{"level":30,"time":"2026-12-04T00:00:00.000Z"}', at('2026-12-04T00:00:00.000Z')],
    ['{"level":30,"msg":"a"}', -1],
    ['{"level":30,"uptime":5,"msg":"\\"time\\":7"}', -1],
    ['{"level":30,"time":null}', -1],
    ['{"level":30,"time":-5}', -1],
    ['{"level":30,"time":12345678901234567}', -1],
    ['{"level":30,"time":9999999999999999}', -1],
    ['{"level":30,"time":"yesterday"}', -1],
    [`{"level":30,"time":"${'2'.repeat(50)}"}`, -1],
    ['{"level":30,"time":"2026', -1],
    ['{"level":30,"time":', -1],
    ['{"a":{"b":1},"time":5}', 5],
  ]
  const wrong = cases.flatMap(([line, expected]) => {
    const bytes = Buffer.from(line)
    const time = recordTime(bytes, 0, bytes.byteLength)
    return time === expected ? [] : [`${line}: ${time}`]
  })
  t.same(wrong, [])
  const chunk = Buffer.from('{"level":30}\n{"time":42}\n')
  t.equal(recordTime(chunk, 0, 12), -1, 'a range ends where its record does: the next record is not read')
})

t.test('@timestamp found as a key only, record by record within a chunk, in any order asked', async (t) => {
  const lines = [
    '{"level":30,"@timestamp":5}',
    '{"user":"ada@example.com","level":30}',
    '{"msg":"@timestamp"}',
    '{"msg":"a \\"@timestamp\\": b"}',
    '{"a":"@timestamp":1}',
    '{"@timestamp":"2026-12-03T00:00:00Z","level":30}',
    '{"level":30}',
  ]
  const expected = [true, false, false, false, false, true, false]
  const chunk = Buffer.from(lines.map((l) => `${l}\n`).join(''))
  const ranges: [number, number][] = []
  for (let i = 0, at = 0; i < lines.length; at += (lines[i] as string).length + 1, i++) {
    ranges.push([at, at + (lines[i] as string).length])
  }
  const finder = new KeyFinder('"@timestamp":')
  const wrong: string[] = []
  for (const order of [
    [0, 1, 2, 3, 4, 5, 6],
    [6, 5, 1, 0, 3],
    [2, 2, 4, 6],
  ]) {
    for (const i of order) {
      const [start, end] = ranges[i] as [number, number]
      const has = finder.has(chunk, start, end)
      if (has !== expected[i]) wrong.push(`${lines[i]} (order ${order}): ${has}`)
    }
    finder.reset()
  }
  const alone = Buffer.from(lines[5] as string)
  if (!finder.has(alone, 0, alone.byteLength)) wrong.push('a record of its own')
  t.same(wrong, [])
})

t.test('bulk body: action and document per record, records as ranges of a chunk, one action per hour', async (t) => {
  const encoder = elasticsearchEncoder({ index: 'h-%{+HH}', opType: 'index' }, () => at('2026-12-03T09:00:00Z'))
  t.equal(encoder.contentType, 'application/x-ndjson')
  t.equal(encoder.objectsOnly, true)
  const lines = ['{"time":1796288400000,"a":1}', '{"time":1796288400001}', '{"time":1796292000000}', '{"b":2}']
  const chunk = Buffer.from(lines.map((l) => `${l}\n`).join(''))
  const offsets: number[] = []
  for (let i = 0, o = 0; i < lines.length; o += (lines[i] as string).length + 1, i++) offsets.push(o)
  const batch = {
    items: lines.map(() => chunk),
    bytes: chunk.byteLength,
    offsets: Float64Array.from(offsets),
    sizes: Float64Array.from(lines.map((l) => l.length)),
  }
  const expected = [
    '{"index":{"_index":"h-09"}}',
    lines[0],
    '{"index":{"_index":"h-09"}}',
    lines[1],
    '{"index":{"_index":"h-10"}}',
    lines[2],
    '{"index":{"_index":"h-09"}}',
    lines[3],
  ]
  t.equal(encoder.encode(batch.items, batch).toString(), `${expected.join('\n')}\n`)
  t.equal(encoder.encode([]).byteLength, 0)
  const fixed = elasticsearchEncoder({ index: 'logs', opType: 'index' })
  t.equal(fixed.encode([Buffer.from('{"a":1}')]).toString(), '{"index":{"_index":"logs"}}\n{"a":1}\n')
})

t.test('opType create: @timestamp spliced in after "{" from time (or the send time), unless present', async (t) => {
  const sent = at('2026-12-03T09:00:00.123Z')
  const encoder = elasticsearchEncoder({ index: 'logs-app-default', opType: 'create' }, () => sent)
  const cases: [string, string][] = [
    ['{"level":30,"time":1796342400000}', '{"@timestamp":"2026-12-04T00:00:00.000Z","level":30,"time":1796342400000}'],
    ['{"level":30}', '{"@timestamp":"2026-12-03T09:00:00.123Z","level":30}'],
    ['{"@timestamp":"x","time":1}', '{"@timestamp":"x","time":1}'],
    ['{"level":30,"@timestamp":5}', '{"level":30,"@timestamp":5}'],
    ['{}', '{"@timestamp":"2026-12-03T09:00:00.123Z"}'],
    ['{ }', '{"@timestamp":"2026-12-03T09:00:00.123Z" }'],
  ]
  const body = encoder.encode(cases.map(([line]) => Buffer.from(line))).toString()
  const expected = cases.map(([, doc]) => `{"create":{"_index":"logs-app-default"}}\n${doc}\n`).join('')
  t.equal(body, expected)
  t.same(
    body
      .split('\n')
      .filter((_, i) => i % 2 === 1 && i < cases.length * 2)
      .map((l) => typeof JSON.parse(l)),
    cases.map(() => 'object'),
    'every document stays valid JSON',
  )
})
