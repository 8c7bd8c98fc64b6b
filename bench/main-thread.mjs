// Benchmark: the application thread's cost of logging (issue 6, workload 1): the time pino's
// logging calls take on the application's thread through getLogger (use_queue, an HTTP and an
// SMTP handler configured) versus plain pino(pino.destination('/dev/null')). Only the logging
// loop is timed: with use_queue the delivery happens in the worker. Goal: 1.0 or less.
// Run after a build: pnpm build && node bench/main-thread.mjs
//
// RECORDS records a round (a fresh burst each time, after the worker has caught up), ROUNDS
// rounds each, alternating; medians. The sinks are separate processes.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { getLogger, getStats } from '@pino-advanced/get-logger'
import pino from 'pino'
import { alternate, fmt, median } from './lib/rounds.mjs'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const here = (path) => fileURLToPath(new URL(path, import.meta.url))

async function startSink(script) {
  const child = spawn(process.execPath, [here(script)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const [first] = await once(createInterface({ input: child.stdout }), 'line')
  return { port: JSON.parse(first).port, child }
}
const http = await startSink('./sinks/http-sink.mjs')
const smtp = await startSink('./sinks/smtp-sink.mjs')

const plain = pino(pino.destination({ dest: '/dev/null', sync: true }))
const ours = getLogger({
  name: 'main-thread',
  console: false,
  file: '/dev/null',
  use_queue: true,
  http_handler: { url: `http://127.0.0.1:${http.port}/log` },
  smtp_handler: { mailhost: ['127.0.0.1', smtp.port], fromaddr: 'app@example.com', toaddrs: 'ops@example.com' },
})

/** Waits until the worker has delivered what it was given (its counts catch up). */
async function caughtUp(total) {
  for (let i = 0; i < 600; i++) {
    const s = getStats()['main-thread']?.['http-async']
    if (s && s.received >= total && s.buffered === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
}

let sent = 0
function round(logger) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < RECORDS; i++) logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
  return Number(process.hrtime.bigint() - start) / 1e6
}

const { a: plainMs, b: ourMs } = await alternate(
  ROUNDS,
  async () => round(plain),
  async () => {
    const ms = round(ours)
    sent += RECORDS
    await caughtUp(sent)
    return ms
  },
)
http.child.kill()
smtp.child.kill()

const ratio = median(ourMs) / median(plainMs)
const perRecord = (ms) => `${((median(ms) * 1e6) / RECORDS).toFixed(0)} ns`
console.log(`## The application thread's cost (issue 6, workload 1)

${fmt(RECORDS)} records a round, ${ROUNDS} rounds each after a warm-up, alternating; medians. Time
the logging calls take on the application's thread (the worker's delivery is not on it).

| logger | per record (median) | round (spread) |
| --- | --- | --- |
| plain pino to /dev/null (sync, pino's default) | ${perRecord(plainMs)} | ${fmt(median(plainMs))} ms (${fmt(Math.min(...plainMs))}-${fmt(Math.max(...plainMs))}) |
| getLogger: use_queue, file /dev/null, HTTP and SMTP handlers | ${perRecord(ourMs)} | ${fmt(median(ourMs))} ms (${fmt(Math.min(...ourMs))}-${fmt(Math.max(...ourMs))}) |

Ratio ours / plain pino: **${ratio.toFixed(2)}** (goal: 1.0 or less: ${ratio <= 1 ? 'met' : 'NOT met'}).`)
process.exit(0)
