// Benchmark: the logging process's CPU time per delivered record (issue 14, item 5),
// @pino-advanced/http-async (to the sink, a separate process, bench/sinks/http-sink.mjs,
// answering at once) against pino's own pino/file writing the same records to /dev/null.
// Each round is a fresh application process (bench/lib/app.mjs): pino(pino.transport({ target,
// options })), its worker ready, then BENCH_RATE records/s (50,000) for BENCH_SECONDS (4) in
// 10 ms ticks, then transport.end() until 'close'. Its CPU time is its own process.cpuUsage()
// (getrusage: every thread of the process, the worker included, also once it has exited) from
// the first record until 'close'; per delivered record: the sink's count for http-async (checked
// against the transport's last stats event: every record delivered, nothing dropped), the
// records logged for pino/file (which keeps no counts). Process start, module loading and the
// worker's start are outside the measure; the HTTP client's first use (in the worker) is in:
// the same is also shown from 1 s into the load on (per record logged from then on).
// BENCH_ROUNDS rounds (7) of each after a warm-up of each, alternating; medians (spread in
// brackets); ratio = http-async's us/record / pino/file's (paired rounds for the spread).
// Target: 1.2x or less.
// Run against the built packages: node --expose-gc bench/cpu-per-record.mjs (about 70 s)
import { fileURLToPath } from 'node:url'
import { alternate, fmt, median, spread } from './lib/rounds.mjs'
import { runApp } from './lib/run-app.mjs'
import { startHttpSink } from './lib/sink.mjs'
import { accountingProblems } from './lib/stats.mjs'

const RATE = Number(process.env.BENCH_RATE ?? 50_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const TARGET = 1.2
// The second measure starts this far into the load: past the first requests (in the worker:
// undici and llhttp compiled cold, the connection opened) and the first file writes.
const MARK_S = 1
const target = fileURLToPath(new URL('../packages/http-async/dist/index.js', import.meta.url))

const sink = await startHttpSink()

async function round(kind) {
  const before = await sink.count()
  const report = await runApp({
    logger: 'transport',
    ...(kind === 'file'
      ? { target: 'pino/file', options: { destination: '/dev/null' } }
      : { target, options: { url: sink.url } }),
    rate: RATE,
    seconds: SECONDS,
    markAt: RATE * MARK_S,
  })
  const counted = (await sink.count()).records - before.records
  const delivered = kind === 'file' ? report.offered : counted
  const problems = [...report.errors, ...(report.closeError ? [report.closeError] : [])]
  if (kind === 'http') {
    const stats = report.stats['http-async']
    problems.push(...accountingProblems(stats, report.offered, counted))
    if (counted !== report.offered) problems.push(`delivered ${fmt(counted)} of ${fmt(report.offered)}`)
  }
  const us = report.cpu.user + report.cpu.system
  // Every record from the mark on is delivered by 'close' (checked above for http-async).
  const afterMark = report.offered - RATE * MARK_S
  return {
    delivered,
    perRecord: us / delivered,
    warmPerRecord: (report.cpuFromMark.user + report.cpuFromMark.system) / afterMark,
    userPerRecord: report.cpu.user / delivered,
    systemPerRecord: report.cpu.system / delivered,
    runMs: report.runMs,
    problems,
  }
}

let file
let http
try {
  ;({ a: file, b: http } = await alternate(
    ROUNDS,
    () => round('file'),
    () => round('http'),
  ))
} finally {
  await sink.stop()
}

const us = (x) => x.toFixed(2)
const col = (runs, key, format = us) => {
  const xs = runs.map((r) => r[key])
  return `${format(median(xs))} (${spread(xs, format)})`
}
const ratio = median(http.map((r) => r.perRecord)) / median(file.map((r) => r.perRecord))
const ratios = http.map((r, i) => r.perRecord / file[i].perRecord)
const warmRatio = median(http.map((r) => r.warmPerRecord)) / median(file.map((r) => r.warmPerRecord))
const warmRatios = http.map((r, i) => r.warmPerRecord / file[i].warmPerRecord)
const bad = [...file, ...http].filter((r) => r.problems.length > 0).map((r) => r.problems.join(', '))
const row = (name, runs) =>
  `| ${name} | ${col(runs, 'perRecord')} | ${col(runs, 'userPerRecord')} | ${col(runs, 'systemPerRecord')} | ${col(runs, 'warmPerRecord')} | ${fmt(median(runs.map((r) => r.delivered)))} | ${col(runs, 'runMs', (x) => `${fmt(x)} ms`)} |`
console.log(`## CPU time per delivered record (issue 14, item 5)

The whole application process's CPU time (process.cpuUsage(): user + system, every thread, the
worker included), from its first record until the transport's 'close', divided by the records
delivered. ${fmt(RATE)} records/s for ${SECONDS} s in 10 ms ticks, each round a fresh process; ${ROUNDS} rounds of
each after a warm-up, alternating; medians (spread in brackets). http-async sends to a sink process
on 127.0.0.1 that answers at once (its CPU is not counted); pino/file writes to /dev/null.
Command: \`node --expose-gc bench/cpu-per-record.mjs\`.

| transport | CPU us per delivered record | of which user | of which system | the same from ${MARK_S} s into the load on | records delivered per round | first record to 'close' |
| --- | --- | --- | --- | --- | --- | --- |
${row('pino/file to /dev/null', file)}
${row('@pino-advanced/http-async (defaults)', http)}

Ratio http-async / pino/file: **${ratio.toFixed(2)}x** (paired rounds ${spread(ratios, (x) => x.toFixed(2))}); target ${TARGET}x or less:
${ratio <= TARGET ? 'met' : 'NOT met'}. From ${MARK_S} s into the load on (the first requests' one-time costs left out):
${warmRatio.toFixed(2)}x (paired rounds ${spread(warmRatios, (x) => x.toFixed(2))}). Every record delivered (the sink's count = offered = the transport's delivered, nothing
dropped): ${bad.length === 0 ? `yes, in all ${ROUNDS} counted rounds` : `NO: ${bad.join('; ')}`}.`)
