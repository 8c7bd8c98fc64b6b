// Benchmark: records/s delivered end to end by @pino-advanced/http-async, as a ratio to pino's
// own `pino/file` transport writing the same records to /dev/null. Run after a build:
//   pnpm exec tsc -b packages/http-async && node bench/http-async.mjs
// Prints a Markdown section (bench/run.mjs collects it into docs/benchmarks.md).
//
// Each round: pino(pino.transport({ target })) in this process, RECORDS records logged as fast
// as pino takes them, timed from the first log call until the transport's 'close' (worker start
// excluded). For http-async, 'close' means every record was sent and answered by the sink, a
// separate process (bench/sinks/http-sink.mjs) that counts records and answers 200; the count
// is checked after every round (a lost record fails the bench). Rounds alternate A/B; medians.
// ratio = http-async records/s / pino/file records/s (1.0 = as fast as writing to /dev/null).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { alternate, fmt, rateColumns, timeToClose } from './lib/rounds.mjs'

const target = fileURLToPath(new URL('../packages/http-async/dist/index.js', import.meta.url))
const sinkScript = fileURLToPath(new URL('./sinks/http-sink.mjs', import.meta.url))

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)

const sink = spawn(process.execPath, [sinkScript], { stdio: ['pipe', 'pipe', 'inherit'] })
const [first] = await once(createInterface({ input: sink.stdout }), 'line')
const { port } = JSON.parse(first)
const url = `http://127.0.0.1:${port}/log`

async function sinkCount() {
  const res = await fetch(`http://127.0.0.1:${port}/count`)
  return res.json()
}

function logAll(logger) {
  for (let i = 0; i < RECORDS; i++) logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
}

async function round(kind, options = {}) {
  const transport =
    kind === 'file'
      ? pino.transport({ target: 'pino/file', options: { destination: '/dev/null' } })
      : pino.transport({ target, options: { url, ...options } })
  await once(transport, 'ready')
  const logger = pino(transport)
  const before = kind === 'file' ? undefined : await sinkCount()
  const ms = await timeToClose(transport, () => logAll(logger))
  if (before !== undefined) {
    const after = await sinkCount()
    const delivered = after.records - before.records
    if (delivered !== RECORDS) throw new Error(`http-async delivered ${delivered} of ${RECORDS} records`)
    return { ms, requests: after.requests - before.requests }
  }
  return { ms }
}

async function compare(options) {
  const { a: file, b: http } = await alternate(
    ROUNDS,
    () => round('file', options),
    () => round('http', options),
  )
  const columns = rateColumns(
    RECORDS,
    file.map((r) => r.ms),
    http.map((r) => r.ms),
  )
  return { file: columns.a, http: columns.b, ratio: columns.ratio, requests: http.at(-1).requests }
}

const cases = [
  ['json (default)', {}],
  ['json, maxBatchRecords 5000', { maxBatchRecords: 5000 }],
  ['ndjson + gzip', { format: 'ndjson', compression: 'gzip' }],
]
const lines = [
  '## http-async',
  '',
  `${fmt(RECORDS)} records per round, ${ROUNDS} rounds alternating, medians (spread in brackets: the lowest and highest`,
  'round; for the ratio, of each pair of rounds run one after the other); the sink is a separate process',
  'on 127.0.0.1 (`bench/sinks/http-sink.mjs`) that counts every record; no record may be lost.',
  '',
  '| body | http-async records/s | pino/file (/dev/null) records/s | ratio | requests per round |',
  '|---|---|---|---|---|',
]
try {
  for (const [name, options] of cases) {
    const r = await compare(options)
    lines.push(`| ${name} | ${r.http} | ${r.file} | ${r.ratio} | ${r.requests} |`)
  }
} finally {
  sink.stdin.end()
}
console.log(lines.join('\n'))
