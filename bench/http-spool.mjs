// Benchmark: the cost of http-async's durable spool (`spool: { dir }`): records/s delivered end
// to end with and without it, same sink, same records, in one run. Run after a build:
//   pnpm exec tsc -b packages/http-async && node bench/http-spool.mjs
// Prints a Markdown section (bench/run.mjs collects it into docs/benchmarks.md).
//
// As bench/http-async.mjs: pino(pino.transport({ target })) in this process, RECORDS records,
// timed from the first log call until the transport's 'close' (everything answered by the sink,
// a separate process that counts records; a lost record fails the bench). Each spool round gets
// a fresh directory under the OS temp dir. Rounds alternate A/B; medians.
// ratio = with spool records/s / without spool records/s.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { alternate, fmt, rateColumns, timeToClose } from './lib/rounds.mjs'

const target = fileURLToPath(new URL('../packages/http-async/dist/index.js', import.meta.url))
const sinkScript = fileURLToPath(new URL('./sinks/http-sink.mjs', import.meta.url))

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

async function startSink(args = []) {
  const sink = spawn(process.execPath, [sinkScript, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const [first] = await once(createInterface({ input: sink.stdout }), 'line')
  const { port } = JSON.parse(first)
  const count = async () => (await fetch(`http://127.0.0.1:${port}/count`)).json()
  return { url: `http://127.0.0.1:${port}/log`, count, stop: () => sink.stdin.end() }
}

function logAll(logger) {
  for (let i = 0; i < RECORDS; i++) logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
}

async function round(sink, options, spooled) {
  const dir = spooled ? mkdtempSync(join(tmpdir(), 'pa-bench-spool-')) : undefined
  const transport = pino.transport({
    target,
    options: { url: sink.url, ...options, ...(dir ? { spool: { dir } } : {}) },
  })
  await once(transport, 'ready')
  const logger = pino(transport)
  const before = await sink.count()
  const ms = await timeToClose(transport, () => logAll(logger))
  const delivered = (await sink.count()).records - before.records
  if (delivered !== RECORDS) throw new Error(`delivered ${delivered} of ${RECORDS} records (spool: ${spooled})`)
  if (dir) {
    // Everything acknowledged: only the open (empty) segment, the cursor and no lock are left.
    const left = readdirSync(dir).filter((f) => f.endsWith('.seg')).length
    if (left !== 1) throw new Error(`${left} segments left in the spool after close`)
    rmSync(dir, { recursive: true, force: true })
  }
  return ms
}

const cases = [
  ['json (default), sink answers at once', {}, []],
  ['json, maxBatchRecords 5000', { maxBatchRecords: 5000 }, []],
  ['json, sink answers after 20 ms (records wait on disk)', {}, ['--delay-ms', '20']],
]
const lines = [
  '## http-async spool',
  '',
  `The cost of \`spool: { dir }\`: ${fmt(RECORDS)} records per round, ${ROUNDS} rounds alternating, medians (spread in brackets);`,
  'the sink is a separate process on 127.0.0.1 that counts every record; no record may be lost. The spool',
  `is a fresh directory under ${tmpdir()} each round.`,
  '',
  '| case | without spool records/s | with spool records/s | ratio (with / without) |',
  '|---|---|---|---|',
]
for (const [name, options, sinkArgs] of cases) {
  const sink = await startSink(sinkArgs)
  try {
    const { a: plain, b: spooled } = await alternate(
      ROUNDS,
      () => round(sink, options, false),
      () => round(sink, options, true),
    )
    const { a, b, ratio } = rateColumns(RECORDS, plain, spooled)
    lines.push(`| ${name} | ${a} | ${b} | ${ratio} |`)
  } finally {
    sink.stop()
  }
}
console.log(lines.join('\n'))
