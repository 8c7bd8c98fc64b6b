// Format 'elasticsearch': what a 2xx _bulk answer says of each document (answer.ts).
import t from 'tap'
import { readBulkAnswer } from '../src/format/elasticsearch/answer.ts'

const answer = (errors: boolean, statuses: number[], op = 'index') =>
  Buffer.from(
    JSON.stringify({
      took: 3,
      errors,
      items: statuses.map((status) => ({
        [op]: {
          _index: 'logs',
          status,
          ...(status >= 300 && status !== 409
            ? { error: { type: `t${status}`, reason: `why\n${status}`, caused_by: { type: 'x' } } }
            : {}),
        },
      })),
    }),
  )

t.test('bulk answer: errors:false delivers all unread; each refused item counted or retried by status', async (t) => {
  t.same(readBulkAnswer(answer(false, [400, 400]), 2), { kind: 'delivered' }, 'errors:false is believed, items unread')
  t.same(readBulkAnswer(Buffer.from('{"errors":false,"took":1,"items":[]}'), 3), { kind: 'delivered' })
  t.same(
    readBulkAnswer(Buffer.from('{\n  "took" : 1,\n  "errors" : false,\n  "items" : [ ]\n}'), 3),
    {
      kind: 'delivered',
    },
    'pretty-printed (?pretty)',
  )
  t.same(readBulkAnswer(answer(true, [201, 409, 200], 'create'), 3), { kind: 'delivered' }, '409: already there')
  t.same(readBulkAnswer(answer(true, [201, 400, 404, 400, 429, 503, 429]), 7), {
    kind: 'partial',
    drops: [
      { reason: 'es-400', count: 2, message: 'the bulk API refused 2 of 7 documents with 400 (t400: why 400)' },
      { reason: 'es-404', count: 1, message: 'the bulk API refused 1 of 7 documents with 404 (t404: why 404)' },
    ],
    retry: {
      indices: [4, 5, 6],
      outcome: {
        kind: 'retry',
        reason: 'es-429',
        message: 'the bulk API refused 3 of 7 documents for now with 429 (t429: why 429)',
      },
    },
  })
  t.same(readBulkAnswer(answer(true, [500]), 1), {
    kind: 'partial',
    drops: [],
    retry: {
      indices: [0],
      outcome: {
        kind: 'retry',
        reason: 'es-500',
        message: 'the bulk API refused 1 of 1 documents for now with 500 (t500: why 500)',
      },
    },
  })
})

t.test(
  'bulk answer: error texts bounded, and an answer that is no bulk answer for the batch delivers all',
  async (t) => {
    const long = Buffer.from(
      JSON.stringify({ errors: true, items: [{ index: { status: 400, error: { reason: `a  ${'x'.repeat(300)}` } } }] }),
    )
    const outcome = readBulkAnswer(long, 1)
    const message = outcome.kind === 'partial' ? (outcome.drops[0]?.message ?? '') : ''
    t.match(message, /with 400 \(a x{198}\.\.\.\)$/, 'one line, 200 characters of it')
    const bare = Buffer.from(
      '{"errors":true,"items":[{"index":{"status":400,"error":"plain"}},{"index":{"status":403}}]}',
    )
    t.same(
      readBulkAnswer(bare, 2),
      {
        kind: 'partial',
        drops: [
          { reason: 'es-400', count: 1, message: 'the bulk API refused 1 of 2 documents with 400' },
          { reason: 'es-403', count: 1, message: 'the bulk API refused 1 of 2 documents with 403' },
        ],
      },
      'no readable error: the status alone',
    )
    const unreadable = [
      'OK',
      'null',
      '7',
      '{"errors":true}',
      '{"errors":"yes","items":[{"index":{"status":400}}]}',
      '{"errors":true,"items":[{"index":{"status":400}},{"index":{"status":400}}]}',
      '{"errors":true,"items":[{"index":{"status":"400"}}]}',
      '{"errors":true,"items":[{"index":{"status":4000}}]}',
      '{"errors":true,"items":[{"index":{"status":40.5}}]}',
      '{"errors":true,"items":[{}]}',
      '{"errors":true,"items":[null]}',
      '{"errors":true,"items":[{"index":null}]}',
    ]
    const wrong = unreadable.filter((text) => readBulkAnswer(Buffer.from(text), 1).kind !== 'delivered')
    t.same(wrong, [], 'a 2xx that cannot be read item by item (a proxy, a count that differs) delivers all')
  },
)
