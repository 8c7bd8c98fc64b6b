import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { batchBody, gzipBody } from '../src/body.ts'
import { basicAuthorization, requestHeaders } from '../src/headers.ts'
import { resolveOptions } from '../src/options.ts'
import { recordQuery, withQuery } from '../src/query.ts'

t.test('json body: the lines joined into an array, unchanged', async (t) => {
  const lines = ['{"level":30,"msg":"a"}', '{"level":40,"msg":"b, c"}']
  const body = batchBody(
    lines.map((l) => Buffer.from(l)),
    'json',
  ).toString()
  t.equal(body, '[{"level":30,"msg":"a"},{"level":40,"msg":"b, c"}]')
  t.same(JSON.parse(body), [
    { level: 30, msg: 'a' },
    { level: 40, msg: 'b, c' },
  ])
})

t.test('ndjson body: one line per record, newline terminated', async (t) => {
  t.equal(batchBody([Buffer.from('{"a":1}'), Buffer.from('{"b":2}')], 'ndjson').toString(), '{"a":1}\n{"b":2}\n')
  t.equal(batchBody([], 'json').toString(), '[]')
  t.equal(batchBody([], 'ndjson').toString(), '')
  const chunk = Buffer.from('{"a":1}\n{"b":2}\n')
  const ranges = { offsets: Float64Array.from([0, 8]), sizes: Float64Array.from([7, 7]) }
  t.equal(batchBody([chunk, chunk], 'json', ranges).toString(), '[{"a":1},{"b":2}]', 'records as ranges of a chunk')
  t.equal(batchBody([chunk, chunk], 'ndjson', ranges).toString(), '{"a":1}\n{"b":2}\n')
})

t.test('records as ranges: runs of one chunk are copied whole, anything else record by record', async (t) => {
  const chunk = Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}\n')
  const other = Buffer.from('xx{"e":5}\n')
  const body = (
    lines: readonly Buffer[],
    offsets: readonly number[],
    sizes: readonly number[],
    format: 'json' | 'ndjson',
  ) => batchBody(lines, format, { offsets: Float64Array.from(offsets), sizes: Float64Array.from(sizes) }).toString()
  // a, b, c in one run; then e from another chunk; then d (not adjacent to c any more).
  const mixed = [
    [chunk, chunk, chunk, other, chunk],
    [0, 8, 16, 2, 24],
    [7, 7, 7, 7, 7],
  ] as const
  t.equal(body(...mixed, 'json'), '[{"a":1},{"b":2},{"c":3},{"e":5},{"d":4}]')
  t.equal(body(...mixed, 'ndjson'), '{"a":1}\n{"b":2}\n{"c":3}\n{"e":5}\n{"d":4}\n')
  t.equal(body([chunk, chunk], [0, 16], [7, 7], 'json'), '[{"a":1},{"c":3}]', 'a gap in one chunk: two runs')
  t.equal(body([chunk, chunk], [8, 0], [7, 7], 'json'), '[{"b":2},{"a":1}]', 'out of order in one chunk: two runs')
  const crlf = Buffer.from('{"a":1}\r\n{"b":2}\r\n')
  t.equal(body([crlf, crlf], [0, 9], [7, 7], 'json'), '[{"a":1},{"b":2}]', 'two bytes between records: two runs')
})

t.test('gzip', async (t) => {
  t.equal(gunzipSync(await gzipBody(Buffer.from('[{"x":"é"}]'))).toString('utf8'), '[{"x":"é"}]')
})

t.test('GET query: fields as parameters, nested values JSON-encoded', async (t) => {
  const q = recordQuery('{"level":30,"msg":"hello world","n":null,"ok":true,"err":{"code":"E"},"tags":[1,2]}')
  const params = Object.fromEntries(new URLSearchParams(q))
  t.same(params, {
    level: '30',
    msg: 'hello world',
    n: 'null',
    ok: 'true',
    err: '{"code":"E"}',
    tags: '[1,2]',
  })
  t.equal(recordQuery('not json'), 'msg=not+json', 'a non-JSON line goes whole as msg')
  t.equal(recordQuery('[1]'), 'msg=%5B1%5D')
  t.equal(recordQuery('{}'), '')
  t.equal(withQuery('/log', 'a=1'), '/log?a=1')
  t.equal(withQuery('/log?src=x', 'a=1'), '/log?src=x&a=1')
  t.equal(withQuery('/log', ''), '/log')
})

t.test('headers: content type and encoding, Basic auth, user headers', async (t) => {
  t.equal(
    basicAuthorization({ user: 'ann', password: 'pässword' }),
    `Basic ${Buffer.from('ann:pässword').toString('base64')}`,
  )
  const h = requestHeaders(
    resolveOptions({
      url: 'http://x/log',
      format: 'ndjson',
      compression: 'gzip',
      credentials: ['ann', 'secret'],
      headers: { 'X-Token': 'abc', 'Content-Type': 'application/vnd.logs+ndjson' },
    }),
  )
  t.same(h, {
    'content-type': 'application/vnd.logs+ndjson',
    'content-encoding': 'gzip',
    authorization: basicAuthorization({ user: 'ann', password: 'secret' }),
    'x-token': 'abc',
  })
  t.same(requestHeaders(resolveOptions({ url: 'http://x/log', method: 'GET' })), {}, 'GET has no body headers')
  t.same(requestHeaders(resolveOptions({ url: 'http://x/log' })), { 'content-type': 'application/json' })
})
