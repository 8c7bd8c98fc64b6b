// The transport against a real ClickHouse (Debian's clickhouse-server 18.16, started for this
// file on free loopback ports): INSERT ... FORMAT JSONEachRow with format 'ndjson', several
// logging processes at once, and ClickHouse's permanent refusals counted, never retried forever.
import { once } from 'node:events'
import t from 'tap'
import { dep, pkg, runScript } from '../../../test/helpers/child.ts'
import { startClickHouse } from '../../../test/helpers/clickhouse.ts'
import { until } from '../../../test/helpers/until.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import { createHttpAsync, type HttpAsyncStream } from '../src/transport.ts'

const ch = await startClickHouse()
t.teardown(() => ch.close())

// pino's record: time (ms since the epoch), level, msg, pid, hostname; other fields skipped.
const columns = 'time UInt64, level UInt8, msg String, pid UInt32, hostname String'
const createTable = (name: string) => ch.query(`CREATE TABLE ${name} (${columns}) ENGINE = MergeTree ORDER BY time`)
const insertUrl = (query: string) => `${ch.url}/?query=${encodeURIComponent(query)}&input_format_skip_unknown_fields=1`
const count = async (sql: string) => Number((await ch.query(sql)).trim())

/** An in-process transport whose diagnostics are captured instead of printed. */
async function transport(options: HttpAsyncOptions) {
  const diagnostics: string[] = []
  const stream = await createHttpAsync(options, { writeDiagnostic: (line) => diagnostics.push(line) })
  return { stream, diagnostics }
}

/** Ends the stream and waits for its close (bounded); its final stats. */
async function end(stream: HttpAsyncStream, boundMs = 15_000) {
  const closed = once(stream, 'close')
  stream.end()
  const bound = setTimeout(() => stream.destroy(new Error('close not in time')), boundMs)
  await closed
  clearTimeout(bound)
  return stream.engine.stats()
}

t.test('three logging processes at once into one table: its rows are what each one counted delivered', async (t) => {
  await createTable('logs')
  const perProcess = 3000
  const script = `
    import pino from '${dep('pino')}'
    import { STATS_EVENT } from '${pkg('core')}'
    import httpAsync from '${pkg('http-async')}'
    const stream = await httpAsync({ url: process.env.URL, format: 'ndjson', maxBatchRecords: 500, flushIntervalMs: 50 })
    let last
    stream.on(STATS_EVENT, (stats) => { last = stats })
    const logger = pino(stream)
    for (let i = 0; i < ${perProcess}; i++) logger.info({ i, extra: { nested: [i] } }, 'record ' + i)
    stream.end()
    stream.on('close', () => console.log(JSON.stringify(last)))
  `
  const env = { URL: insertUrl('INSERT INTO logs FORMAT JSONEachRow') }
  const runs = await Promise.all([1, 2, 3].map(() => runScript(script, { env, timeoutMs: 60_000 })))
  // Each prints its final stats last; nothing if it failed (then null, and the checks say so).
  const stats = runs.map((run) => {
    const last = run.stdout.trim().split('\n').at(-1)
    return last ? JSON.parse(last) : null
  })
  t.same(
    runs.map((run) => ({ code: run.code, stderr: run.stderr })),
    [1, 2, 3].map(() => ({ code: 0, stderr: '' })),
    'each process exited cleanly, saying nothing',
  )
  t.same(
    stats.map((s) => ({ received: s?.received, dropped: s?.dropped, buffered: s?.buffered })),
    [1, 2, 3].map(() => ({ received: perProcess, dropped: {}, buffered: 0 })),
    'every record of each process was delivered',
  )
  const delivered = stats.reduce((sum, s) => sum + (s?.delivered ?? 0), 0)
  t.equal(await count('SELECT count() FROM logs'), delivered, 'the table holds the sum of what each one delivered')
  t.equal(await count('SELECT uniqExact(pid, msg) FROM logs'), delivered, 'each record stored once')
  t.equal(await count("SELECT count() FROM logs WHERE level != 30 OR time = 0 OR hostname = ''"), 0, 'pino fields in')
})

t.test('a bad row is dropped and counted once; the good rows of its batch and after it are stored', async (t) => {
  await createTable('bad_rows')
  const { stream, diagnostics } = await transport({
    url: insertUrl('INSERT INTO bad_rows FORMAT JSONEachRow'),
    format: 'ndjson',
    maxBatchRecords: 6,
    flushIntervalMs: 60_000,
  })
  const good = (n: number) => `{"level":30,"time":${n},"msg":"good ${n}"}\n`
  // One batch: a string where UInt8 is expected (ClickHouse: 500, Code 27) and a line that is
  // not JSON (500, Code 27 too) among good rows.
  const before = await ch.event('InsertQuery')
  stream.write(`${good(1)}{"level":"x","time":2,"msg":"wrong type"}\n${good(3)}not json at all\n${good(5)}${good(6)}`)
  await until(() => stream.engine.stats().buffered === 0, 'the batch settled')
  // Sent three times: each refusal names one row, which is dropped before the rest goes again.
  t.equal((await ch.event('InsertQuery')) - before, 3, 'the batch went once, then once per bad row')
  stream.write(good(7))
  const stats = await end(stream)
  t.same(
    { received: stats.received, delivered: stats.delivered, dropped: stats.dropped },
    { received: 7, delivered: 5, dropped: { 'http-500': 2 } },
  )
  t.same((await ch.query('SELECT msg FROM bad_rows ORDER BY time')).trim().split('\n'), [
    'good 1',
    'good 3',
    'good 5',
    'good 6',
    'good 7',
  ])
  t.match(
    diagnostics.join(''),
    /answered 500: Code: 27, e\.displayText\(\) = DB::Exception: Cannot parse input.*\(record 2 of the batch\); dropped 1 records \(not retried\)/,
  )
})

t.test('an unknown table (404) or column (500) drops the batch at once, counted; never resent', async (t) => {
  const cases = [
    {
      query: 'INSERT INTO nope FORMAT JSONEachRow',
      reason: 'http-404',
      said: /Code: 60, .*Table default\.nope doesn't exist/,
    },
    {
      query: 'INSERT INTO logs (nocol) FORMAT JSONEachRow',
      reason: 'http-500',
      said: /Code: 16, .*No such column nocol/,
    },
  ]
  for (const { query, reason, said } of cases) {
    const { stream, diagnostics } = await transport({
      url: insertUrl(query),
      format: 'ndjson',
      flushIntervalMs: 60_000,
      retryBaseDelayMs: 10,
    })
    const before = await ch.event('InsertQuery')
    stream.write('{"level":30,"msg":"a"}\n{"level":30,"msg":"b"}\n{"level":30,"msg":"c"}\n')
    const stats = await end(stream)
    t.same({ dropped: stats.dropped, retried: stats.retried }, { dropped: { [reason]: 3 }, retried: 0 }, query)
    t.equal((await ch.event('InsertQuery')) - before, 1, `${query}: the server got the batch once`)
    t.match(diagnostics.join(''), said)
  }
})

t.test('a memory limit (500, Code 241) is not a permanent refusal: retried', async (t) => {
  const { stream } = await transport({
    url: `${insertUrl('INSERT INTO logs FORMAT JSONEachRow')}&max_memory_usage=1000`,
    format: 'ndjson',
    flushIntervalMs: 0,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 20,
    maxRetries: 2,
  })
  stream.write('{"level":30,"msg":"a"}\n')
  const stats = await end(stream)
  t.same({ dropped: stats.dropped, retried: stats.retried }, { dropped: { 'retries-exhausted': 1 }, retried: 2 })
})
