// Benchmark: memory under an outage (issue 6, workload 6). The application logs 5,000
// records/s through getLogger (use_queue, an HTTP handler with the default maxBufferBytes of
// 16 MiB): first BENCH_WARM_S seconds (10) with the endpoint up (a service running normally),
// then the endpoint down (connections refused) for BENCH_OUTAGE_S seconds (60), then up again
// for a few seconds. Peak RSS growth over the RSS when the outage began (the application
// process, worker included; sampled every 250 ms) against maxBufferBytes; and every record
// accounted for: received = delivered + dropped + buffered, drops by reason.
// Goal: peak growth within maxBufferBytes + 32 MiB, every drop counted.
// BENCH_OUTAGE_RUNS runs (3), each beside the reference; medians and spread.
// Run after a build: pnpm build && node bench/outage-memory.mjs
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fmt, median, spread } from './lib/rounds.mjs'

const WARM_S = Number(process.env.BENCH_WARM_S ?? 10)
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 60)
const AFTER_S = 5
const RUNS = Number(process.env.BENCH_OUTAGE_RUNS ?? 3)
const RATE = 5000
const MAX_BUFFER = 16 * 2 ** 20
const here = (path) => fileURLToPath(new URL(path, import.meta.url))

// A free port: the sink listens on it while the endpoint is up, nothing while it is down.
const probe = createServer().listen(0, '127.0.0.1')
await once(probe, 'listening')
const port = probe.address().port
probe.close()

async function startSink() {
  const sink = spawn(process.execPath, [here('./sinks/http-sink.mjs'), '--port', String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const out = createInterface({ input: sink.stdout })
  await once(out, 'line')
  return { sink, out }
}

/** Stops the sink (no request answered afterwards) and returns how many records it counted. */
async function stopSink({ sink, out }) {
  const last = once(out, 'line')
  sink.stdin.end()
  const [counts] = await last
  await once(sink, 'close')
  return JSON.parse(counts).records
}

// The same application logging through plain pino (its pino/file transport to /dev/null), for
// as long and as fast: how much its RSS grows on its own (V8 sizes both threads' young
// generations to the allocation rate), measured in the same run.
const reference = join(tmpdir(), `pa-outage-ref-${process.pid}.mjs`)
writeFileSync(
  reference,
  `
import pino from ${JSON.stringify(import.meta.resolve('pino'))}
const transport = pino.transport({ target: 'pino/file', options: { destination: '/dev/null' } })
const logger = pino(transport)
const getStats = () => ({ outage: { 'http-async': { received: 0, delivered: 0, dropped: {}, buffered: 0 } } })
const shutdown = async () => {}
${measured()}`,
)

const app = join(tmpdir(), `pa-outage-${process.pid}.mjs`)
writeFileSync(
  app,
  `
import { getLogger, getStats, shutdown } from ${JSON.stringify(pathToFileURL(here('../packages/get-logger/dist/index.js')).href)}
const logger = getLogger({ name: 'outage', console: false, use_queue: true,
  http_handler: { url: 'http://127.0.0.1:${port}/log', maxBufferBytes: ${MAX_BUFFER}, retryMaxDelayMs: 2000 } })
${measured()}`,
)

/** What both applications do once their logger exists: log at RATE, sample RSS, report. */
function measured() {
  return `
const rss = () => process.memoryUsage().rss
await new Promise((r) => setTimeout(r, 1000))
let i = 0
const pad = 'x'.repeat(60)
const tick = setInterval(() => {
  for (let n = 0; n < ${RATE / 100}; n++, i++) logger.info({ i, user: 'ada', path: '/api/items', pad }, 'request handled')
}, 10)
process.stdout.write('logging\\n')
// Running normally until the outage begins: its RSS then is the baseline.
await new Promise((r) => setTimeout(r, ${WARM_S * 1000}))
global.gc?.()
const baseline = rss()
let peak = baseline
let outagePeak = baseline
const outageEnds = Date.now() + ${OUTAGE_S * 1000}
const sampler = setInterval(() => {
  peak = Math.max(peak, rss())
  if (Date.now() < outageEnds) outagePeak = peak
}, 250)
await new Promise((r) => setTimeout(r, ${(OUTAGE_S + AFTER_S) * 1000}))
clearInterval(tick)
// Let the worker deliver what it still holds, then read its last counts.
await new Promise((r) => setTimeout(r, 3000))
clearInterval(sampler)
const stats = getStats().outage['http-async']
process.stdout.write(JSON.stringify({ baseline, peak, outagePeak, logged: i, stats }) + '\\n')
await shutdown()
`
}

/** The reference application: its peak RSS growth over its RSS at the time the outage began for ours. */
async function referenceGrowth() {
  const ref = spawn(process.execPath, ['--expose-gc', reference], { stdio: ['ignore', 'pipe', 'inherit'] })
  const refLines = createInterface({ input: ref.stdout })
  await once(refLines, 'line')
  const [refReport] = await once(refLines, 'line')
  ref.kill()
  const { peak, baseline } = JSON.parse(refReport)
  return peak - baseline
}

/** Ours, through the endpoint's outage: its report, and what the sink counted. */
async function outageRun() {
  const before = await startSink()
  const child = spawn(process.execPath, ['--expose-gc', app], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const [started] = await once(lines, 'line')
  if (started !== 'logging') throw new Error(`unexpected: ${started}`)
  await new Promise((r) => setTimeout(r, WARM_S * 1000))
  const countedBefore = await stopSink(before)
  await new Promise((r) => setTimeout(r, OUTAGE_S * 1000))
  const after = await startSink()
  const [report] = await once(lines, 'line')
  await once(child, 'close')
  const counted = countedBefore + (await stopSink(after))
  const { baseline, peak, outagePeak, logged, stats } = JSON.parse(report)
  const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0)
  return {
    growth: peak - baseline,
    outageGrowth: outagePeak - baseline,
    logged,
    stats,
    counted,
    identity: stats.received === stats.delivered + dropped + stats.buffered,
  }
}

// Each run: ours and the reference side by side (separate processes, the same time and load).
const runs = []
for (let r = 0; r < RUNS; r++) {
  const [refGrowth, run] = await Promise.all([referenceGrowth(), outageRun()])
  runs.push({ ...run, refGrowth, net: run.growth - refGrowth })
}

const MiB = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`
const of = (key) => runs.map((run) => run[key])
const row = (key) => `${MiB(median(of(key)))} (${spread(of(key), MiB)})`
const growth = median(of('growth'))
const net = median(of('net'))
const bound = MAX_BUFFER + 32 * 2 ** 20
const accounted = runs.every((run) => run.identity && run.counted === run.stats.delivered)
const { stats, logged, counted } = runs.at(-1)
console.log(`## Memory under an outage (issue 6, workload 6)

getLogger with use_queue and an HTTP handler (maxBufferBytes ${MiB(MAX_BUFFER)}), ${fmt(RATE)} records/s
(about 150 bytes each): the endpoint up for ${WARM_S} s, then refusing connections for ${OUTAGE_S} s, then up
again for ${AFTER_S} s. RSS of the application process (its worker included), sampled every 250 ms; growth
is over its RSS when the outage began. ${RUNS} runs, each beside the same application logging through plain
pino; medians (spread in brackets). Command: \`pnpm build && node bench/outage-memory.mjs\`.

| measure | value |
| --- | --- |
| peak RSS growth over the outage's start, outage and recovery | ${row('growth')} (bound: maxBufferBytes + 32 MiB = ${MiB(bound)}: ${growth <= bound ? 'within' : 'NOT within'}) |
| peak RSS growth during the outage only | ${row('outageGrowth')} |
| the same application through plain pino (pino/file to /dev/null), same rate and time: peak RSS growth | ${row('refGrowth')} |
| growth beyond plain pino's in the same run (what the handler adds) | ${row('net')} (${net <= bound ? 'within' : 'NOT within'} ${MiB(bound)}) |
| received = delivered + dropped + buffered, and the sink counted what was delivered | ${accounted ? `yes, in all ${RUNS} runs` : 'NO'} |
| last run: records logged / received by the handler | ${fmt(logged)} / ${fmt(stats.received)} |
| last run: delivered (the sink counted ${fmt(counted)}) | ${fmt(stats.delivered)} |
| last run: dropped, by reason | ${Object.entries(stats.dropped)
  .map(([reason, n]) => `${reason}: ${fmt(n)}`)
  .join(', ')} |
| last run: still buffered | ${fmt(stats.buffered)} |

Goal: within maxBufferBytes + 32 MiB with every drop counted: ${growth <= bound && accounted ? 'met' : 'NOT met'} on the raw growth; ${net <= bound && accounted ? 'met' : 'NOT met'} net of what plain pino grows by itself.`)
