// The application process of bench/slow-endpoint-rss.mjs and bench/cpu-per-record.mjs, run as a
// child (bench/lib/run-app.mjs starts it): node --expose-gc bench/lib/app.mjs '<config JSON>'
//   { logger: 'transport', target, options }   pino(pino.transport({ target, options }))
//   { logger: 'getLogger', module, options }    getLogger(options) from `module` (a file URL)
//   plus rate (records/s), seconds, sampleMs (RSS sampling interval, 100), markAt (a record's
//   index: the CPU time is also reported from that record on)
// Once its worker is ready: a steady load of rate x seconds records, then the close
// (transport.end() until 'close', or the preset's shutdown()). It prints one JSON line on
// stdout: records offered, its RSS at the start (after a gc) and at its peaks (during the load,
// and through the close), its CPU time from the first record until closed (process.cpuUsage:
// every thread of the process, the worker included, also once it has exited), the close time
// and its outcome, and every destination's last `pino-advanced:stats` event (for the preset
// also getStats() just before shutdown, which forgets a logger once it is shut down).
import { once } from 'node:events'
import pino from 'pino'
import { logRecord, since, steadyLoad, within } from './load.mjs'
import { collectStats } from './stats.mjs'

const config = JSON.parse(process.argv[2])
const START_MS = 10_000
// thread-stream's end() may wait 10 s for the worker to read; then the transport's own close.
const CLOSE_BOUND_MS = 25_000

let logger
let preset
if (config.logger === 'getLogger') {
  preset = await import(config.module)
  logger = preset.getLogger(config.options)
} else {
  logger = pino(pino.transport({ target: config.target, options: config.options }))
}
const stream = logger[pino.symbols.streamSym]
const latest = collectStats(stream)
// pino's worker streams (thread-stream), whether alone or in a pino.multistream.
const workers = (Array.isArray(stream.streams) ? stream.streams.map((s) => s.stream) : [stream]).filter(
  (s) => s.worker !== undefined,
)
const errors = []
for (const worker of workers) worker.on('error', (err) => errors.push(err.message))
await within(Promise.all(workers.map((w) => once(w, 'ready'))), START_MS, 'worker start')

const rss = () => process.memoryUsage().rss
global.gc?.()
const baseline = rss()
let peak = baseline
let loadPeak = baseline
const sampler = setInterval(() => {
  peak = Math.max(peak, rss())
}, config.sampleMs ?? 100)

const cpuStart = process.cpuUsage()
const start = performance.now()
// markAt: the CPU time also from that record on (past the first requests' one-time costs).
let cpuMark
const { offered, ms: loadMs } = await steadyLoad((i) => {
  if (i === config.markAt) cpuMark = process.cpuUsage()
  logRecord(logger, i)
}, config)
peak = Math.max(peak, rss())
loadPeak = peak

const closeStart = performance.now()
let statsBeforeClose
let closeError
try {
  if (preset) {
    statsBeforeClose = preset.getStats()
    await within(preset.shutdown(), CLOSE_BOUND_MS, 'shutdown()')
  } else {
    const closed = Promise.all(workers.map((w) => once(w, 'close')))
    stream.end()
    await within(closed, CLOSE_BOUND_MS, "the transport's 'close'")
  }
} catch (err) {
  closeError = err.message
}
const closeMs = since(closeStart)
const runMs = since(start)
const cpu = process.cpuUsage(cpuStart)
const cpuFromMark = cpuMark && process.cpuUsage(cpuMark)
clearInterval(sampler)
peak = Math.max(peak, rss())

const report = {
  offered,
  loadMs,
  closeMs,
  runMs,
  closeError,
  errors,
  cpu,
  cpuFromMark,
  rss: { baseline, loadPeak, peak },
  stats: latest,
  statsBeforeClose,
}
process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0))
