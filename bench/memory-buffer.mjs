// Benchmark: the cost of the memory-buffer stage. Run after a build:
//   pnpm exec tsc -b packages/memory-buffer && node bench/memory-buffer.mjs
// Prints a Markdown section (bench/run.mjs collects it into docs/benchmarks.md).
//
// 1. Worker: pino.transport({ pipeline: [memory-buffer, pino/file -> /dev/null] }) versus the
//    same pipeline without the memory-buffer stage. Timed from the first log call until the
//    transport's 'close' (every record through the worker and written), worker start excluded.
// 2. Main thread: pino(createMemoryBuffer(sonic-boom /dev/null)) versus pino(sonic-boom /dev/null),
//    timed until the sonic-boom has closed.
// Same records, rounds alternating A/B, medians; ratio = with / without (1.0 = no cost).
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { alternate, rateColumns, timeToClose } from './lib/rounds.mjs'

const dist = new URL('../packages/memory-buffer/dist/index.js', import.meta.url)
const { createMemoryBuffer } = await import(dist.href)
const target = fileURLToPath(dist)

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const bufferOptions = { capacity: 100, flushLevel: 'error' }

function logAll(logger) {
  for (let i = 0; i < RECORDS; i++) logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
}

async function workerRound(withBuffer) {
  const file = { target: 'pino/file', options: { destination: '/dev/null' } }
  const transport = pino.transport({
    pipeline: withBuffer ? [{ target, options: bufferOptions }, file] : [file],
  })
  await once(transport, 'ready')
  const logger = pino(transport)
  return timeToClose(transport, () => logAll(logger))
}

async function mainRound(withBuffer) {
  // pino.destination is a sonic-boom (the root has no direct sonic-boom dependency).
  const sonic = pino.destination({ dest: '/dev/null', sync: false })
  await once(sonic, 'ready')
  const stream = withBuffer ? createMemoryBuffer(bufferOptions, sonic) : sonic
  const logger = pino(stream)
  const closed = once(sonic, 'close')
  const start = process.hrtime.bigint()
  logAll(logger)
  if (withBuffer) stream.end()
  sonic.end()
  await closed
  return Number(process.hrtime.bigint() - start) / 1e6
}

async function compare(round) {
  const { a: without, b: withBuffer } = await alternate(
    ROUNDS,
    () => round(false),
    () => round(true),
  )
  const { a, b, ratio } = rateColumns(RECORDS, without, withBuffer)
  return { without: a, withBuffer: b, ratio }
}

const worker = await compare(workerRound)
const main = await compare(mainRound)

console.log(`## memory-buffer

${RECORDS.toLocaleString('en-US')} info records per round (none at flushLevel, so the buffer releases every 100 by capacity), ${ROUNDS} rounds alternating, medians (spread in brackets: the lowest and highest round; for the ratio, of each pair of rounds). Command: \`pnpm exec tsc -b packages/memory-buffer && node bench/memory-buffer.mjs\`.

| setup | without memory-buffer (records/s) | with memory-buffer (records/s) | ratio (goal >= 0.9) |
|---|---:|---:|---:|
| worker: pipeline [memory-buffer, pino/file /dev/null] vs [pino/file /dev/null] | ${worker.without} | ${worker.withBuffer} | ${worker.ratio} |
| main thread: pino(createMemoryBuffer(sonic-boom /dev/null)) vs pino(sonic-boom /dev/null) | ${main.without} | ${main.withBuffer} | ${main.ratio} |`)
