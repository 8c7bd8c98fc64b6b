// ClickHouse's exception answers: which are permanent, and which record of the batch a bad row is.
// The texts are what clickhouse-server 18.16 and 21+ answer (see clickhouse.test.ts for the real one).
import t from 'tap'
import { CLICKHOUSE_PERMANENT_CODES, clickhouseCode, clickhouseOutcome } from '../src/clickhouse-answer.ts'

const lines = (...texts: string[]) => texts.map((s) => Buffer.from(s))
const OLD_PARSE =
  'Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: x"}: (while read the value of key level): (at row 2) , e.what() = DB::Exception'
const NEW_PARSE =
  "Code: 27. DB::Exception: Cannot parse input: expected '\"' before: 'x\"}': (while reading the value of key level): (at row 2) : While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_INPUT_ASSERTION_FAILED) (version 23.8.2.7)"
const OLD_TABLE =
  "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception"
const OLD_MEMORY =
  'Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use 2.01 MiB, e.what() = DB::Exception'

t.test('the exception code is read in the 18.x and the 21+ wording, and nothing else is one', async (t) => {
  const wrong: string[] = []
  const cases: [string, number | undefined][] = [
    [OLD_PARSE, 27],
    [NEW_PARSE, 27],
    [OLD_TABLE, 60],
    ['Code: 252. DB::Exception: Too many parts (300). (TOO_MANY_PARTS)', 252],
    ['', undefined],
    ['Internal Server Error', undefined],
    ['{"error":"Code: 27, e.displayText() = DB::Exception: x"}', undefined],
    ['Code: 27 something else', undefined],
  ]
  for (const [said, code] of cases) if (clickhouseCode(said) !== code) wrong.push(`${said} → ${clickhouseCode(said)}`)
  t.same(wrong, [])
})

t.test('the permanent codes are the data and query errors, and the load errors are not among them', async (t) => {
  const wrong: string[] = []
  for (const code of [6, 16, 26, 27, 53, 60, 62, 72, 81, 115, 117, 349]) {
    if (!CLICKHOUSE_PERMANENT_CODES.has(code)) wrong.push(`${code} should be permanent`)
  }
  // Memory, parts, timeouts, concurrency, a read-only replica, network, readonly user.
  for (const code of [159, 164, 202, 209, 210, 241, 242, 252]) {
    if (CLICKHOUSE_PERMANENT_CODES.has(code)) wrong.push(`${code} should be retried`)
  }
  t.same(wrong, [])
})

t.test('a row ClickHouse refused: that record is dropped, the others go again at once', async (t) => {
  const records = lines('{"level":30}', '{"level":"x"}', '{"level":40}')
  for (const said of [OLD_PARSE, NEW_PARSE]) {
    const outcome = clickhouseOutcome(500, said, records)
    t.match(outcome, {
      kind: 'partial',
      drops: [
        { reason: 'http-500', count: 1, message: /^the endpoint answered 500: Code: 27.*\(record 2 of the batch\)$/ },
      ],
      retry: { indices: [0, 2], outcome: { kind: 'retry', reason: 'http-500', retryAfterMs: 0 } },
    })
  }
})

t.test('rows are counted as ClickHouse counts them: lines of whitespace alone are not rows', async (t) => {
  const records = lines('{"level":30}', '  \t\r', '{"level":"x"}')
  t.match(clickhouseOutcome(500, OLD_PARSE, records), {
    drops: [{ message: /record 3 of/ }],
    retry: { indices: [0, 1] },
  })
})

t.test('records given as ranges of shared chunks are read at their offsets', async (t) => {
  const chunk = Buffer.from('{"skip":1}\n   \n{"level":"x"}\n{"level":30}\n')
  const records = [chunk, chunk, chunk]
  const batch = {
    items: records,
    bytes: 28,
    offsets: Float64Array.from([29, 11, 15]),
    sizes: Float64Array.from([12, 3, 13]),
  }
  // Record 1 is row 1, record 2 blank, record 3 ('{"level":"x"}') row 2.
  t.match(clickhouseOutcome(500, OLD_PARSE, records, batch), {
    drops: [{ message: /record 3 of/ }],
    retry: { indices: [0, 1] },
  })
})

t.test('without a row it can match, or for one record, the whole batch is dropped under its status', async (t) => {
  const two = lines('{"level":30}', '{"level":31}')
  const expected = { kind: 'drop', reason: 'http-404', message: `the endpoint answered 404: ${OLD_TABLE}` }
  t.same(clickhouseOutcome(404, OLD_TABLE, two), expected, 'unknown table: no row')
  t.same(
    clickhouseOutcome(500, OLD_PARSE, lines('{"level":"x"}')),
    { kind: 'drop', reason: 'http-500', message: `the endpoint answered 500: ${OLD_PARSE}` },
    'one record',
  )
  t.match(
    clickhouseOutcome(500, OLD_PARSE, lines('{"level":30}', '   ')),
    { kind: 'drop', reason: 'http-500' },
    'row 2 is past the rows sent',
  )
})

t.test('other answers are left to the status: 2xx, other servers, codes worth a retry', async (t) => {
  const records = lines('{"level":30}')
  const wrong: string[] = []
  const cases: [number, string][] = [
    [200, ''],
    [200, OLD_PARSE],
    [500, 'Internal Server Error'],
    [500, ''],
    [500, OLD_MEMORY],
    [503, 'Code: 202. DB::Exception: Too many simultaneous queries. (TOO_MANY_SIMULTANEOUS_QUERIES)'],
  ]
  for (const [status, said] of cases) {
    if (clickhouseOutcome(status, said, records) !== undefined) wrong.push(`${status} ${said}`)
  }
  t.same(wrong, [])
})
