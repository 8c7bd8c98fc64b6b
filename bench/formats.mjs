// Benchmark: the cost of each http-async body format's encoder (issue 17), beside `json`.
// Run after a build: pnpm build && node bench/formats.mjs
// Prints a Markdown section (bench/run.mjs collects it into docs/benchmarks.md).
//
// The encoder alone, in this process: batches of 1,000 pino lines (as pino serialises them,
// with an error and a trace context in every tenth record) encoded BATCHES times per round,
// CPU time from process.cpuUsage() (user + system) over the round. `json` joins the lines
// as they are; the store formats parse every line. Rounds alternate formats; medians.
import { fileURLToPath } from 'node:url'
import { fmt, median, spread } from './lib/rounds.mjs'

const dist = (path) => fileURLToPath(new URL(`../packages/http-async/dist/${path}`, import.meta.url))
const { resolveOptions, FORMATS } = await import(dist('index.js'))
const { createEncoder } = await import(dist('format/formats.js'))

const BATCH = 1000
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

/** One pino line: what `logger.info({ ... }, msg)` writes, an error and a trace now and then. */
function line(i) {
  const record = { level: 30, time: 1_764_748_800_000 + i, pid: 4242, hostname: 'web-1', name: 'api' }
  Object.assign(record, { reqId: `r${i}`, user: 'ada', path: '/api/items', ms: 12.5, ok: true })
  if (i % 10 === 0) {
    record.level = 50
    record.err = {
      type: 'Error',
      message: 'upstream failed',
      stack: 'Error: upstream failed\n    at handler (app.js:10:5)',
    }
    record.trace_id = '4bf92f3577b34da6a3ce929d0e0e4736'
    record.span_id = '00f067aa0ba902b7'
    record.trace_flags = '01'
  }
  record.msg = 'request handled'
  return Buffer.from(JSON.stringify(record))
}

// One chunk per batch, as the transport holds them: each record a range of it.
const lines = Array.from({ length: BATCH }, (_, i) => line(i))
const chunk = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))
const offsets = new Float64Array(BATCH)
const sizes = new Float64Array(BATCH)
for (let i = 0, at = 0; i < BATCH; i++) {
  offsets[i] = at
  sizes[i] = lines[i].byteLength
  at += lines[i].byteLength + 1
}
const records = Array.from({ length: BATCH }, () => chunk)
const batch = { items: records, bytes: chunk.byteLength, offsets, sizes }

const cases = [
  { name: 'json (default)', options: { format: 'json' } },
  { name: 'ndjson', options: { format: 'ndjson' } },
  { name: 'otlp, http/protobuf', options: { format: 'otlp', otlp: { protocol: 'http/protobuf' } } },
  { name: 'otlp, http/json', options: { format: 'otlp', otlp: { protocol: 'http/json' } } },
  { name: 'loki', options: { format: 'loki', loki: { labels: { app: 'api' } } } },
  { name: 'elasticsearch, daily index', options: { format: 'elasticsearch' } },
].filter((c) => FORMATS.includes(c.options.format))

const encoders = cases.map((c) => createEncoder(resolveOptions({ url: 'http://127.0.0.1:9/x', ...c.options })))

function round(encoder) {
  const cpu = process.cpuUsage()
  const start = performance.now()
  let bytes = 0
  for (let b = 0; b < BATCHES; b++) bytes += encoder.encode(records, batch).byteLength
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { ms, cpuUs: used.user + used.system, bytes: bytes / BATCHES }
}

for (const encoder of encoders) round(encoder) // warm-up
const results = cases.map(() => [])
for (let r = 0; r < ROUNDS; r++) for (const [k, encoder] of encoders.entries()) results[k].push(round(encoder))

const n = BATCH * BATCHES
const rate = (x) => (n / x.ms) * 1000
const perRecord = (x) => x.cpuUs / n
const jsonRate = median(results[0].map(rate))
const rows = cases.map((c, k) => {
  const rates = results[k].map(rate)
  const cpu = results[k].map(perRecord)
  const two = (v) => v.toFixed(2)
  return `| ${c.name} | ${fmt(median(rates))} (${spread(rates)}) | ${two(median(cpu))} (${spread(cpu, two)}) | ${(median(rates) / jsonRate).toFixed(2)} | ${fmt(median(results[k].map((x) => x.bytes)))} |`
})

console.log(`## http-async body formats (issue 17)

Each encoder alone, in one process: ${fmt(BATCHES)} batches of ${fmt(BATCH)} pino records per round (every tenth an
error with a trace context), ${ROUNDS} rounds alternating after a warm-up; medians (spread). The request, its answer and
compression are not included (the same for every format). Command: \`pnpm build && node bench/formats.mjs\`.

| format | records/s encoded | CPU us per record | records/s, of json's | body bytes per batch |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`)
