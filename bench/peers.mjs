// Benchmark: end-to-end HTTP delivery, @pino-advanced/http-async against the peer transports on
// the same sink and workload (issue 6, workload 3): pino-loki (the sink answers Loki's push
// API), @logtail/pino (pointed at the sink), pino-elasticsearch (the sink answers _bulk as
// Elasticsearch does) and pino-http-send (a main-thread destination, as its README shows).
// Run after a build: pnpm build && node bench/peers.mjs
//
// Each round: a fresh pino logger on the contender, RECORDS records logged as fast as pino
// takes them, timed from the first log call until the sink (a separate process,
// bench/sinks/http-sink.mjs) has counted every one of them. Records/s = RECORDS / that time.
// Rounds alternate between contenders; medians. A contender that has not delivered everything
// within DEADLINE_MS is reported with what it did deliver.
// Configuration: each peer as its README recommends for batching (pino-loki: batching on, its
// default 5 s interval and 10,000-record buffer; @logtail/pino: its defaults;
// pino-elasticsearch: its README's flushBytes 1000, and a flushInterval of 1 s instead of its
// default 30 s; pino-http-send: a batch size of 1000, kinder than its default of 10); ours: its
// defaults.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { fmt, median, spread } from './lib/rounds.mjs'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 60_000)
const STALL_MS = 10_000
const require = createRequire(import.meta.url)
const here = (path) => fileURLToPath(new URL(path, import.meta.url))

const sink = spawn(process.execPath, [here('./sinks/http-sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
const [first] = await once(createInterface({ input: sink.stdout }), 'line')
const origin = `http://127.0.0.1:${JSON.parse(first).port}`
const counted = async () => (await (await fetch(`${origin}/count`)).json()).records

const target = (name) => require.resolve(name)
const CONTENDERS = {
  '@pino-advanced/http-async': () =>
    pino.transport({ target: here('../packages/http-async/dist/index.js'), options: { url: `${origin}/log` } }),
  'pino-loki': () =>
    pino.transport({ target: target('pino-loki'), options: { host: origin, batching: true, interval: 5 } }),
  '@logtail/pino': () =>
    pino.transport({
      target: target('@logtail/pino'),
      options: { sourceToken: 'bench', options: { endpoint: origin } },
    }),
  'pino-elasticsearch': () =>
    pino.transport({
      target: target('pino-elasticsearch'),
      options: { node: origin, index: 'logs', esVersion: 8, flushBytes: 1000, flushInterval: 1000 },
    }),
  'pino-http-send': () => require('pino-http-send').createWriteStream({ url: `${origin}/log`, batchSize: 1000 }),
}

async function round(name) {
  const destination = CONTENDERS[name]()
  // A worker that does not end in time is that contender's problem, not the harness's.
  destination.on?.('error', () => {})
  if (typeof destination.ref === 'function') await once(destination, 'ready')
  const logger = pino(destination)
  const before = await counted()
  const start = process.hrtime.bigint()
  for (let i = 0; i < RECORDS; i++) logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
  // Until all arrived, or nothing more arrived for STALL_MS (then: what did arrive, by when).
  let delivered = 0
  let progressAt = start
  for (;;) {
    const now = process.hrtime.bigint()
    const count = (await counted()) - before
    if (count > delivered) {
      delivered = count
      progressAt = now
    }
    const ms = Number(now - start) / 1e6
    if (delivered >= RECORDS || Number(now - progressAt) / 1e6 > STALL_MS || ms > DEADLINE_MS) {
      destination.end?.()
      return { ms: Number(progressAt - start) / 1e6, delivered }
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

const results = Object.fromEntries(Object.keys(CONTENDERS).map((name) => [name, []]))
for (const name of Object.keys(CONTENDERS)) await round(name) // warm-up, not counted
for (let r = 0; r < ROUNDS; r++) {
  const order = Object.keys(CONTENDERS)
  if (r % 2 === 1) order.reverse()
  for (const name of order) results[name].push(await round(name))
}
sink.kill()

const rate = (runs) => median(runs.map((r) => (r.delivered / r.ms) * 1000))
const ours = rate(results['@pino-advanced/http-async'])
const rows = Object.entries(results).map(([name, runs]) => {
  const rates = runs.map((r) => (r.delivered / r.ms) * 1000)
  const fewest = Math.min(...runs.map((r) => r.delivered))
  const lost = fewest < RECORDS ? `; only ${fmt(fewest)} of ${fmt(RECORDS)} ever arrived` : ''
  const ratio = name.startsWith('@pino-advanced') ? '' : `${(ours / rate(runs)).toFixed(2)}x`
  return `| ${name} | ${fmt(rate(runs))} (${spread(rates)})${lost} | ${ratio} |`
})
const behind = Object.keys(results).filter((n) => !n.startsWith('@pino-advanced') && rate(results[n]) >= ours)
console.log(`## Against the peers: end-to-end HTTP delivery (issue 6, workload 3)

${fmt(RECORDS)} records per round, ${ROUNDS} rounds each after a warm-up, alternating; records/s
delivered to the same sink process, timed from the first log call until the sink counted every
record; medians (spread in brackets). Each peer configured for batching as its README
recommends (pino-loki: its default 5 s interval and 10,000-record buffer; pino-elasticsearch:
its README's flushBytes 1000 with flushInterval 1 s; pino-http-send: batch size 1000). A peer
that drops records under the burst (pino-loki past its buffer, @logtail/pino past 10,000 calls
in 5 s) is timed to its last delivery and marked.

| transport | records/s delivered | ours is |
| --- | --- | --- |
${rows.join('\n')}

Goal: ahead of every peer: ${behind.length === 0 ? 'met' : `NOT met (behind ${behind.join(', ')})`}.`)
process.exit(0)
