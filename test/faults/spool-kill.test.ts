// http-async's durable spool under kill -9: child processes log through the transport and are
// killed with SIGKILL at random moments (seeded: PA_SPOOL_SEED repeats a run), each next one
// starting on the same spool; a last one only delivers what is left. Every record whose write
// was acknowledged arrives; per process what arrives is a gapless prefix of what it wrote; the
// duplicates are at most the window (the batches in flight, WINDOW of them) per kill: the spool
// acknowledges only the contiguous prefix of delivered batches.

import { fileURLToPath } from 'node:url'
import t from 'tap'
import { dep, pkg, runScript, tempDir } from '../helpers/child.ts'
import { type ScriptStep, startHttpSink } from '../helpers/http-sink.ts'
import { random } from '../helpers/random.ts'

const SEED = Number(process.env.PA_SPOOL_SEED ?? 20261202)
const KILLS = 16
const MAX_BATCH_RECORDS = 20
const WINDOW = 4

const child = (url: string, dir: string, it: number, seed: number, write: boolean) => `
import { createHttpAsync } from '${pkg('http-async')}'
const stream = await createHttpAsync({
  url: '${url}',
  maxBatchRecords: ${MAX_BATCH_RECORDS},
  maxConcurrentRequests: ${WINDOW},
  // Small: most of an outage waits on disk and is read back.
  maxBufferBytes: 3000,
  flushIntervalMs: 5,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 40,
  closeTimeoutMs: 9000,
  spool: { dir: ${JSON.stringify(dir)}, maxBytes: 64 * 1024 * 1024 },
})
${
  write
    ? `
let a = ${seed} >>> 0
const rnd = () => {
  a = (a + 0x6d2b79f5) >>> 0
  let x = Math.imul(a ^ (a >>> 15), a | 1)
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296
}
// An application has work of its own keeping it up (the transport's sockets and timers do not).
setInterval(() => {}, 1000)
process.stdout.write('ready\\n')
let i = 0
for (;;) {
  const n = 1 + Math.floor(rnd() * 20)
  let chunk = ''
  for (let k = 0; k < n; k++) chunk += JSON.stringify({ level: 30, it: ${it}, i: i++ }) + '\\n'
  // The callback: the chunk is in the spool.
  await new Promise((resolve) => stream.write(chunk, resolve))
  process.stdout.write('acked ' + (i - 1) + '\\n')
  await new Promise((resolve) => setTimeout(resolve, 1))
}`
    : DRAIN
}
`

// The last process writes nothing: it delivers what is left, however long that takes (the
// test's bound), then closes and prints its counts.
const DRAIN = `
const poll = setInterval(() => {
  if (stream.engine.stats().buffered > 0) return
  clearInterval(poll)
  stream.on('close', () => process.stdout.write(JSON.stringify(stream.engine.stats()) + '\\n'))
  stream.end()
}, 20)`

t.test(`SIGKILL at random moments, ${KILLS} times (seed ${SEED}): nothing acknowledged is lost`, async (t) => {
  const rnd = random(SEED)
  // The endpoint is flaky too: refusals and slow answers keep batches waiting and in flight.
  const script: ScriptStep[] = Array.from({ length: 2000 }, () => {
    const r = rnd()
    return r < 0.15 ? 503 : r < 0.3 ? { delayMs: 20 } : 200
  })
  const sink = await startHttpSink({ script })
  t.teardown(() => sink.close())
  const dir = tempDir()
  const acked: number[] = []
  for (let it = 0; it < KILLS; it++) {
    const killAfterMs = 50 + Math.floor(rnd() * 400)
    let last = -1
    const run = await runScript(child(sink.url, dir, it, Math.floor(rnd() * 2 ** 31), true), {
      timeoutMs: 30_000,
      onSpawn: (process) => {
        let buffered = ''
        process.stdout?.on('data', (d: Buffer) => {
          buffered += d.toString()
          const lines = buffered.split('\n')
          buffered = lines.pop() ?? ''
          for (const line of lines) {
            if (line === 'ready') setTimeout(() => process.kill('SIGKILL'), killAfterMs)
            else if (line.startsWith('acked ')) last = Number(line.slice(6))
          }
        })
      },
    })
    t.equal(run.signal, 'SIGKILL', `process ${it} killed after ${killAfterMs} ms, ${last + 1} records acknowledged`)
    acked.push(last)
  }
  t.ok(acked.filter((n) => n >= 0).length > KILLS / 2, 'most processes were killed while writing')
  const final = await runScript(child(sink.url, dir, KILLS, 0, false), { timeoutMs: 60_000 })
  t.equal(final.code, 0, final.stderr)
  const stats = JSON.parse(final.stdout.trim()) as { buffered: number; dropped: Record<string, number> }
  t.equal(stats.buffered, 0, 'the last process delivered everything left')
  t.same(stats.dropped, {})

  const seen = new Map<string, number>()
  const byProcess = new Map<number, number[]>()
  for (const r of sink.records) {
    const key = `${r.it}:${r.i}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
    if (seen.get(key) === 1) {
      const ids = byProcess.get(r.it as number) ?? []
      ids.push(r.i as number)
      byProcess.set(r.it as number, ids)
    }
  }
  for (let it = 0; it < KILLS; it++) {
    const ids = byProcess.get(it) ?? []
    const highest = Math.max(-1, ...ids)
    t.ok(
      highest >= (acked[it] as number),
      `process ${it}: every acknowledged record arrived (${highest} ≥ ${acked[it]})`,
    )
    t.same(
      [...ids].sort((a, b) => a - b),
      Array.from({ length: ids.length }, (_, k) => k),
      `process ${it}: a gapless prefix (batches in flight together may arrive in any order)`,
    )
  }
  const duplicates = sink.records.length - seen.size
  t.ok(
    duplicates <= KILLS * WINDOW * MAX_BATCH_RECORDS,
    `${duplicates} duplicates, at most the batches in flight per kill (${KILLS} × ${WINDOW} × ${MAX_BATCH_RECORDS})`,
  )
})

t.test("in pino's worker: killed while logging, restarted, every record written arrives", async (t) => {
  const sink = await startHttpSink({ script: Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 503 : 200)) })
  t.teardown(() => sink.close())
  const target = fileURLToPath(pkg('http-async'))
  const options = JSON.stringify({
    url: sink.url,
    maxBatchRecords: MAX_BATCH_RECORDS,
    maxBufferBytes: 3000,
    flushIntervalMs: 5,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 40,
    spool: { dir: tempDir() },
  })
  const script = (it: number) => `
import pino from ${JSON.stringify(dep('pino'))}
const transport = pino.transport({ target: ${JSON.stringify(target)}, options: ${options} })
const logger = pino(transport)
setInterval(() => {}, 1000)
transport.once('ready', () => process.stdout.write('ready\\n'))
let i = 0
const burst = () => {
  for (let k = 0; k < 20; k++) logger.info({ it: ${it}, i: i++ })
  setTimeout(burst, 1)
}
burst()
`
  const KILLED = 4
  for (let it = 0; it < KILLED; it++) {
    const run = await runScript(script(it), {
      timeoutMs: 30_000,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), 150 + 50 * it)
        })
      },
    })
    t.equal(run.signal, 'SIGKILL', `process ${it} killed`)
  }
  const final = await runScript(
    `import { createHttpAsync } from '${pkg('http-async')}'
const stream = await createHttpAsync(${options})
${DRAIN}`,
    { timeoutMs: 60_000 },
  )
  t.equal(final.code, 0, final.stderr)
  t.match(JSON.parse(final.stdout), { buffered: 0, dropped: {} }, 'what the workers spooled, delivered')
  for (let it = 0; it < KILLED; it++) {
    const ids = [...new Set(sink.records.filter((r) => r.it === it).map((r) => r.i as number))].sort((a, b) => a - b)
    t.ok(ids.length > 0, `process ${it}: ${ids.length} records arrived`)
    t.same(
      ids,
      Array.from({ length: ids.length }, (_, k) => k),
      `process ${it}: a gapless prefix (what pino's buffer held at the kill never reached the spool)`,
    )
  }
})
