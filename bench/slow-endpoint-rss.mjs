// Benchmark: the memory an HTTP handler costs the application while its endpoint is slow, and
// its shutdown (issue 14, item 5). The application (a child process, bench/lib/app.mjs) logs
// BENCH_RATE records/s (50,000) for BENCH_SECONDS (10), in 10 ms ticks, through
// getLogger({ name, use_queue: true, console: false, file: <a temp file>,
// http_handler: { url, maxBufferBytes: 16 MiB, closeTimeoutMs: 5000 } }) from the built
// packages/get-logger, against the sink (a separate process, bench/sinks/http-sink.mjs) answering
// every request 50 ms late; then it calls shutdown(). Beside it, the same application without
// the HTTP handler (the same file destination, the same load). RSS of the application process
// (its worker included) is sampled every 100 ms from the first record until shutdown() has
// resolved; growth is over its RSS when the worker was ready (after a gc). The handler's share
// is ours minus the reference's, paired runs. Shutdown: how long shutdown() took, what it or
// the transports said on stderr (a close past its deadline, "end() took too long"), and the
// final accounting: each destination's last stats event (getStats() forgets a logger once it
// is shut down; its counts just before shutdown() are shown too) against the records offered,
// the sink's count and the lines in the file.
// Targets: peak growth within maxBufferBytes + 32 MiB; shutdown within closeTimeoutMs + 1 s;
// every record delivered or counted dropped.
// BENCH_ROUNDS runs (3) of each, alternating; medians (spread in brackets).
// Run against the built packages: node --expose-gc bench/slow-endpoint-rss.mjs (about 2 minutes)
import { createReadStream, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { alternate, fmt, median, spread } from './lib/rounds.mjs'
import { runApp } from './lib/run-app.mjs'
import { startHttpSink } from './lib/sink.mjs'
import { accountingProblems, dropsText } from './lib/stats.mjs'

const RATE = Number(process.env.BENCH_RATE ?? 50_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const LATENCY_MS = 50
const MAX_BUFFER = 16 * 2 ** 20
const CLOSE_TIMEOUT_MS = 5000
const BOUND = MAX_BUFFER + 32 * 2 ** 20
const SHUTDOWN_TARGET_MS = CLOSE_TIMEOUT_MS + 1000
const NAME = 'slow-endpoint'
const getLoggerModule = pathToFileURL(
  fileURLToPath(new URL('../packages/get-logger/dist/index.js', import.meta.url)),
).href

const sink = await startHttpSink(['--delay-ms', String(LATENCY_MS)])

/** Lines in a file (the records the file destination wrote). */
async function lines(path) {
  let n = 0
  for await (const chunk of createReadStream(path)) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) n++
  }
  return n
}

let runs = 0
async function run(withHandler) {
  const file = join(tmpdir(), `pa-slow-endpoint-${process.pid}-${runs++}.log`)
  const options = { name: NAME, use_queue: true, console: false, file }
  if (withHandler) {
    options.http_handler = { url: sink.url, maxBufferBytes: MAX_BUFFER, closeTimeoutMs: CLOSE_TIMEOUT_MS }
  }
  const before = await sink.count()
  try {
    const report = await runApp({ logger: 'getLogger', module: getLoggerModule, options, rate: RATE, seconds: SECONDS })
    const counted = (await sink.count()).records - before.records
    const written = await lines(file)
    const http = report.stats['http-async']
    const problems = [
      ...report.errors,
      ...accountingProblems(report.stats.file, report.offered, written).map((p) => `file: ${p}`),
      ...(withHandler ? accountingProblems(http, report.offered, counted).map((p) => `http: ${p}`) : []),
    ]
    return {
      ...report,
      counted,
      written,
      http,
      before: report.statsBeforeClose?.[NAME]?.['http-async'],
      baseline: report.rss.baseline,
      growth: report.rss.peak - report.rss.baseline,
      loadGrowth: report.rss.loadPeak - report.rss.baseline,
      problems,
    }
  } finally {
    rmSync(file, { force: true })
  }
}

let reference
let ours
try {
  ;({ a: reference, b: ours } = await alternate(
    ROUNDS,
    () => run(false),
    () => run(true),
    { warmUp: false },
  ))
} finally {
  await sink.stop()
}

const MiB = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`
const ms = (x) => `${fmt(x)} ms`
const col = (runsOf, key, format) => {
  const xs = runsOf.map((r) => r[key])
  return `${format(median(xs))} (${spread(xs, format)})`
}
const shares = ours.map((r, i) => r.growth - reference[i].growth)
const share = median(shares)
const slowest = Math.max(...ours.map((r) => r.closeMs))
const accounted = [...ours, ...reference].every((r) => r.problems.length === 0)
const closeIssues = [...new Set(ours.flatMap((r) => [r.closeError, ...r.stderr].filter(Boolean)))]
const refIssues = [...new Set(reference.flatMap((r) => [r.closeError, ...r.stderr].filter(Boolean)))]
const quote = (issues) =>
  issues.length === 0 ? 'none' : issues.map((l) => `\`${l.replaceAll('|', '/')}\``).join('<br>')
const last = ours.at(-1)
const perRun = (f) => ours.map((r, i) => `run ${i + 1}: ${f(r)}`).join('; ')
const problems = [...ours, ...reference].filter((r) => r.problems.length > 0).map((r) => r.problems.join(', '))

console.log(`## Slow endpoint: the HTTP handler's memory and shutdown (issue 14, item 5)

getLogger with use_queue, console off, a file in the temp directory and an HTTP handler
(maxBufferBytes ${MiB(MAX_BUFFER)}, closeTimeoutMs ${fmt(CLOSE_TIMEOUT_MS)}) whose endpoint answers every request
${LATENCY_MS} ms late; ${fmt(RATE)} records/s for ${SECONDS} s in 10 ms ticks, then \`shutdown()\`. Beside it the same
application without the HTTP handler (the same file destination). RSS of the application process
(worker included), sampled every 100 ms from the first record until shutdown() resolved; growth over
its RSS once the worker was ready. ${ROUNDS} runs of each, alternating, each a fresh process; medians
(spread in brackets). Command: \`node --expose-gc bench/slow-endpoint-rss.mjs\`.

| measure | getLogger + HTTP handler (50 ms endpoint) | getLogger, file only (reference) |
| --- | --- | --- |
| RSS once the worker was ready | ${col(ours, 'baseline', MiB)} | ${col(reference, 'baseline', MiB)} |
| peak RSS growth during the load | ${col(ours, 'loadGrowth', MiB)} | ${col(reference, 'loadGrowth', MiB)} |
| peak RSS growth, load and shutdown | ${col(ours, 'growth', MiB)} | ${col(reference, 'growth', MiB)} |
| shutdown() took | ${col(ours, 'closeMs', ms)} | ${col(reference, 'closeMs', ms)} |
| shutdown(): error, and what was said on stderr | ${quote(closeIssues)} | ${quote(refIssues)} |
| records offered per run | ${fmt(last.offered)} | ${fmt(reference.at(-1).offered)} |
| file: lines written (every run) | ${perRun((r) => fmt(r.written))} | ${reference.map((r, i) => `run ${i + 1}: ${fmt(r.written)}`).join('; ')} |
| handler, just before shutdown() (getStats(): its last stats event, up to 1 s old): received / delivered / buffered | ${perRun((r) => (r.before ? `${fmt(r.before.received)} / ${fmt(r.before.delivered)} / ${fmt(r.before.buffered)}` : 'no counts'))} | |
| handler, final (its last stats event): received / delivered / buffered | ${perRun((r) => (r.http ? `${fmt(r.http.received)} / ${fmt(r.http.delivered)} / ${fmt(r.http.buffered)}` : 'no stats event'))} | |
| handler, final: dropped, by reason | ${perRun((r) => dropsText(r.http?.dropped))} | |
| the sink's count | ${perRun((r) => fmt(r.counted))} | |
| every record delivered or counted (received = offered = delivered + dropped + buffered, nothing buffered, the sink's count = delivered, the file's lines = the file's delivered) | ${accounted ? `yes, in all ${ROUNDS * 2} runs` : `NO: ${problems.join('; ')}`} | |

| target (issue 14) | wanted | measured | |
| --- | --- | --- | --- |
| the handler's share of peak RSS (ours - reference, paired runs) | within maxBufferBytes + 32 MiB = ${MiB(BOUND)} | ${MiB(share)} (${spread(shares, MiB)}) | ${share <= BOUND ? 'met' : 'NOT met'} |
| peak RSS growth with the handler, raw | within ${MiB(BOUND)} | ${MiB(median(ours.map((r) => r.growth)))} | ${median(ours.map((r) => r.growth)) <= BOUND ? 'met' : 'NOT met'} |
| shutdown() | within closeTimeoutMs + 1 s = ${ms(SHUTDOWN_TARGET_MS)} | ${ms(slowest)} in the slowest run${ours.some((r) => r.closeError) ? ', with an error' : ''} | ${slowest <= SHUTDOWN_TARGET_MS && !ours.some((r) => r.closeError) ? 'met' : 'NOT met'} |
| every record delivered or counted dropped | in every run | ${accounted ? 'yes' : 'NO'} | ${accounted ? 'met' : 'NOT met'} |`)
