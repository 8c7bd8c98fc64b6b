// Benchmark: @pino-advanced/http-async at real network latency (issue 14, item 5). The sink (a
// separate process, bench/sinks/http-sink.mjs --delay-ms N) answers every request 0, 20, 50 and
// 200 ms late; the application (this process) offers a fixed, steady load through
// pino(pino.transport({ target: http-async, options: { url, closeTimeoutMs: 5000 } })):
// BENCH_RATE records/s (50,000; BENCH_SLOW_RATE, 20,000, at 200 ms and more) for BENCH_SECONDS
// (5), logged in 10 ms ticks; then transport.end() and the wait for 'close'.
// Per latency: offered; delivered (the sink's count); delivered / offered; dropped by reason
// (the transport's last `pino-advanced:stats` event, at close); the close time (end() to
// 'close'); delivered records/s over the whole run (first log call to 'close', worker start
// excluded); and the accounting: received = offered = delivered + dropped + buffered, nothing
// buffered at close, the sink counted exactly what the transport says it delivered.
// Beside it at 50 ms, the peer pino-http-send 0.4.2 (batchSize 1000, a main-thread stream as its
// README shows; it keeps no counts): the same load, timed from the first log call until the
// sink counted every record (or nothing more arrived for 10 s, or BENCH_DEADLINE_MS passed).
// BENCH_ROUNDS rounds (3), every contender once per round, the order reversed every other
// round, after a 1 s warm-up of each; medians (spread in brackets).
// Run against the built packages: node --expose-gc bench/latency.mjs (about 2 minutes)
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { logRecord, since, steadyLoad, within } from './lib/load.mjs'
import { fmt, median, spread } from './lib/rounds.mjs'
import { startHttpSink } from './lib/sink.mjs'
import { accountingProblems, collectStats, droppedTotal, dropsText } from './lib/stats.mjs'

const RATE = Number(process.env.BENCH_RATE ?? 50_000)
const SLOW_RATE = Number(process.env.BENCH_SLOW_RATE ?? 20_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 60_000)
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,20,50,200').split(',').map(Number)
const PEER_LATENCY = 50
const WARM_S = 1
const CLOSE_TIMEOUT_MS = 5000
// thread-stream's end() may wait 10 s for the worker to read; then closeTimeoutMs.
const CLOSE_BOUND_MS = 10_000 + CLOSE_TIMEOUT_MS + 5000
const STALL_MS = 10_000
const rateAt = (latency) => (latency >= 200 ? SLOW_RATE : RATE)

const require = createRequire(import.meta.url)
const target = fileURLToPath(new URL('../packages/http-async/dist/index.js', import.meta.url))

const sinks = {}
for (const latency of new Set([0, PEER_LATENCY, ...LATENCIES])) {
  sinks[latency] = await startHttpSink(['--delay-ms', String(latency)])
}

/** Ours: worker started, then the load, end() and 'close'. */
async function ours(latency, seconds) {
  const sink = sinks[latency]
  const transport = pino.transport({ target, options: { url: sink.url, closeTimeoutMs: CLOSE_TIMEOUT_MS } })
  const latest = collectStats(transport)
  const errors = []
  transport.on('error', (err) => errors.push(err.message))
  await within(once(transport, 'ready'), 10_000, 'http-async worker start')
  const logger = pino(transport)
  const before = await sink.count()
  const start = performance.now()
  const { offered } = await steadyLoad((i) => logRecord(logger, i), { rate: rateAt(latency), seconds })
  const closed = once(transport, 'close')
  const endAt = performance.now()
  transport.end()
  let closeMs
  try {
    await within(closed, CLOSE_BOUND_MS, "http-async 'close'")
    closeMs = since(endAt)
  } catch (err) {
    errors.push(err.message)
  }
  const runMs = since(start)
  const after = await sink.count()
  const delivered = after.records - before.records
  const stats = latest['http-async']
  const problems = [...errors, ...accountingProblems(stats, offered, delivered)]
  return { offered, delivered, requests: after.requests - before.requests, closeMs, runMs, stats, problems }
}

/** pino-http-send: the load, then until the sink counted all, nothing more came, or the deadline. */
async function peer(latency, seconds) {
  const sink = sinks[latency]
  const destination = require('pino-http-send').createWriteStream({ url: sink.url, batchSize: 1000 })
  const problems = []
  destination.on('error', (err) => problems.push(err.message))
  const logger = pino(destination)
  const before = await sink.count()
  const start = performance.now()
  const { offered } = await steadyLoad((i) => logRecord(logger, i), { rate: rateAt(latency), seconds })
  const loadEnd = performance.now()
  let delivered = 0
  let lastAt = loadEnd
  let after = before
  for (;;) {
    const now = performance.now()
    after = await sink.count()
    if (after.records - before.records > delivered) {
      delivered = after.records - before.records
      lastAt = now
    }
    if (delivered >= offered || now - lastAt > STALL_MS || now - start > DEADLINE_MS) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  destination.end()
  if (delivered < offered) problems.push(`${fmt(offered - delivered)} never arrived (nothing counts them)`)
  const requests = after.requests - before.requests
  return { offered, delivered, requests, closeMs: lastAt - loadEnd, runMs: lastAt - start, problems }
}

const contenders = [
  ...LATENCIES.map((latency) => ({ name: 'http-async', latency, run: ours })),
  { name: 'pino-http-send', latency: PEER_LATENCY, run: peer },
]
for (const c of contenders) c.rounds = []

try {
  await ours(0, WARM_S)
  await peer(0, WARM_S)
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse()
    for (const c of order) c.rounds.push(await c.run(c.latency, SECONDS))
  }
} finally {
  for (const sink of Object.values(sinks)) await sink.stop()
}

const pct = (x) => `${(x * 100).toFixed(2)}%`
const ms = (x) => `${fmt(x)} ms`
const withSpread = (xs, format = fmt) => `${format(median(xs))} (${spread(xs, format)})`
const rate = (run) => (run.delivered / run.runMs) * 1000
const share = (run) => run.delivered / run.offered

function row(c) {
  const runs = c.rounds
  const peerRow = c.name === 'pino-http-send'
  const name = peerRow ? 'pino-http-send 0.4.2, batchSize 1000' : 'http-async (defaults, closeTimeoutMs 5000)'
  const offered = `${fmt(runs[0].offered)} (${fmt(rateAt(c.latency))}/s x ${SECONDS} s)`
  const drops = peerRow
    ? 'not counted (it keeps no counts)'
    : runs.every((run) => droppedTotal(run.stats) === 0)
      ? 'none'
      : runs.map((run, i) => `round ${i + 1}: ${dropsText(run.stats?.dropped)}`).join('; ')
  const closes = runs.filter((run) => run.closeMs !== undefined).map((run) => run.closeMs)
  const close =
    closes.length === 0
      ? 'no close'
      : `${withSpread(closes, ms)}${peerRow ? ' (load end to the last record counted)' : ''}`
  const bad = runs.map((run, i) => [i + 1, run.problems]).filter(([, p]) => p.length > 0)
  const accounted =
    bad.length === 0
      ? `yes (${runs.length} of ${runs.length} rounds)${peerRow ? ': all arrived (it keeps no counts to check)' : ''}`
      : `NO: ${bad.map(([i, p]) => `round ${i}: ${p.join(', ')}`).join('; ')}`
  return `| ${c.latency} ms | ${name} | ${offered} | ${withSpread(runs.map((run) => run.delivered))} | ${withSpread(runs.map(share), pct)} | ${drops} | ${close} | ${withSpread(runs.map(rate))} | ${fmt(median(runs.map((run) => run.requests)))} | ${accounted} |`
}

const at = (latency) => contenders.find((c) => c.name === 'http-async' && c.latency === latency)
const rival = contenders.at(-1)
const ours50 = at(PEER_LATENCY)
const lines = [
  '## http-async at real network latency (issue 14, item 5)',
  '',
  `The sink (a separate process) answers every request after the latency shown; the application (the`,
  `benchmark's process) offers a steady load in 10 ms ticks, then ends the transport. ${ROUNDS} rounds, every`,
  `row once per round in alternating order, after a warm-up; medians (spread in brackets: lowest and highest`,
  `round). Delivered = the sink's count; dropped = the transport's last stats event (at close); records/s =`,
  `delivered / (first log call to 'close'; for pino-http-send, which has no close and keeps no counts, to the`,
  `sink counting its last record: the sink counts a request's records once its body has arrived, before it`,
  `answers, so that time leaves out the last answer's latency, which our close includes). With both keeping`,
  `up with the offered load, the records/s ratio stays near 1.`,
  `Accounted: received = offered = delivered + dropped + buffered, nothing buffered at close, and the sink`,
  `counted exactly what the transport says it delivered. Command: \`node --expose-gc bench/latency.mjs\`.`,
  '',
  "| sink answers after | transport | offered | delivered | delivered / offered | dropped, by reason | close: end() to 'close' | delivered records/s | requests | every record accounted for |",
  '|---|---|---|---|---|---|---|---|---|---|',
  ...contenders.map(row),
  '',
]

const targets = []
if (ours50) {
  const worst = Math.min(...ours50.rounds.map(share))
  targets.push(
    `| at ${PEER_LATENCY} ms: delivered by the end of the close | at least 99% of offered | ${pct(worst)} in the worst round | ${worst >= 0.99 ? 'met' : 'NOT met'} |`,
  )
  const ratios = ours50.rounds.map((run, i) => rate(run) / rate(rival.rounds[i]))
  const ratio = median(ours50.rounds.map(rate)) / median(rival.rounds.map(rate))
  targets.push(
    `| at ${PEER_LATENCY} ms: delivered records/s, ours / pino-http-send's | 2x or more | ${ratio.toFixed(2)}x (paired rounds ${spread(ratios, (x) => x.toFixed(2))}) | ${ratio >= 2 ? 'met' : 'NOT met'} |`,
  )
}
const slow = at(200)
if (slow) {
  const worst = Math.min(...slow.rounds.map(share))
  const drops = Math.max(...slow.rounds.map((run) => droppedTotal(run.stats)))
  const met = slow.rounds.every((run) => run.delivered === run.offered && run.stats && droppedTotal(run.stats) === 0)
  targets.push(
    `| at 200 ms: delivered, dropped | 100%, nothing dropped | ${pct(worst)} in the worst round, at most ${fmt(drops)} dropped | ${met ? 'met' : 'NOT met'} |`,
  )
}
const allAccounted = contenders
  .filter((c) => c.name === 'http-async')
  .every((c) => c.rounds.every((run) => run.problems.length === 0))
targets.push(
  `| every record of http-async delivered or counted dropped, at every latency | in every round | ${allAccounted ? 'yes' : 'NO (see the table)'} | ${allAccounted ? 'met' : 'NOT met'} |`,
)
lines.push('| target (issue 14) | wanted | measured | |', '|---|---|---|---|', ...targets)
console.log(lines.join('\n'))
process.exit(0)
