// http-async against an endpoint that answers late, as one in another region does, through
// pino's worker: the application is a child process (pino's end() blocks its thread), the sink
// is this process. Bounds derive from the short closeTimeoutMs each case configures.
import t, { type Test } from 'tap'
import { dep, pkg, runScript, tempDir } from './helpers/child.ts'
import { startHttpSink } from './helpers/http-sink.ts'

const target = pkg('http-async')

/** Runs an application that logs `records` at once, then ends as `ending` says; prints its findings. */
const burst = (url: string, records: number, options: Record<string, unknown>, ending: string) => `
import { once } from 'node:events'
import pino from ${JSON.stringify(dep('pino'))}
import { signalClose } from ${JSON.stringify(target)}
const transport = pino.transport({ target: ${JSON.stringify(target)}, options: ${JSON.stringify({ url, ...options })} })
let stats
transport.on('pino-advanced:stats', (s) => { stats = s })
await once(transport, 'ready')
const logger = pino({ base: null, timestamp: false }, transport)
for (let i = 0; i < ${records}; i++) logger.info({ i }, 'burst')
// pino unrefs its worker: hold the process open until the transport closes.
const alive = setInterval(() => {}, 1000)
const started = Date.now()
const closed = once(transport, 'close')
${ending}
transport.end()
await closed
clearInterval(alive)
process.stdout.write(JSON.stringify({ closeMs: Date.now() - started, stats }) + '\\n')
`

interface Findings {
  readonly closeMs: number
  readonly stats: {
    readonly received: number
    readonly delivered: number
    readonly dropped: Record<string, number>
    readonly buffered: number
  }
}

/**
 * The sink has every record counted delivered, and at most the batches in flight at the
 * deadline besides (sent, then abandoned by the close: the endpoint may have taken them).
 */
function atLeastOnce(t: Test, arrived: number, delivered: number, inFlight: number) {
  t.ok(
    arrived >= delivered && arrived <= delivered + inFlight,
    `the sink has ${arrived}: the ${delivered} counted delivered, and at most ${inFlight} in flight at the deadline`,
  )
}

/**
 * Child-script lines that wait until the HTTP handler of logger `name` has taken records (its
 * worker is up: a worker's start is not the close's to bound), at most 20 s.
 */
const untilHandlerUp = (name: string) => `
const upSince = Date.now()
while (!((getStats()[${JSON.stringify(name)}]?.["http-async"]?.received ?? 0) > 0)) {
  if (Date.now() - upSince > 20000) throw new Error('the HTTP handler took no records within 20 s')
  await new Promise((resolve) => setTimeout(resolve, 10))
}`

/** The close summary http-async writes on stderr: every record received is delivered or counted. */
function closeSummary(t: Test, stderr: string, records: number): number {
  const summary = /closed: (\d+) records received, (\d+) delivered, (\d+) not delivered/.exec(stderr)
  t.ok(summary, `the close summary is on stderr: ${stderr}`)
  const [received, delivered, lost] = (summary ?? []).slice(1).map(Number)
  t.same({ received, accounted: (delivered ?? 0) + (lost ?? 0) }, { received: records, accounted: records })
  return delivered ?? 0
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

t.test(
  'a burst far beyond what a 50 ms endpoint takes in closeTimeoutMs: signalled, end() is bounded, the rest counted',
  async (t) => {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    t.teardown(() => sink.close())
    const closeTimeoutMs = 500
    // One request at a time: 1,000 records per 50 ms round trip, 20,000 records/s at most.
    const options = { maxConcurrentRequests: 1, closeTimeoutMs }
    const run = await runScript(burst(sink.url, 200_000, options, 'signalClose(transport)'), { timeoutMs: 30_000 })
    t.equal(run.code, 0, run.stderr)
    const { closeMs, stats } = JSON.parse(run.stdout) as Findings
    t.ok(closeMs < closeTimeoutMs + 1000, `end() to close in ${closeMs} ms (closeTimeoutMs ${closeTimeoutMs} + 1 s)`)
    t.equal(stats.received, 200_000, 'everything upstream was taken in')
    t.equal(stats.delivered + sum(stats.dropped), 200_000, 'every record delivered or counted')
    t.ok((stats.dropped['close-timeout'] ?? 0) > 0, 'what the deadline left is counted close-timeout')
    atLeastOnce(t, sink.records.length, stats.delivered, 1000)
    t.match(run.stderr, /close: \d+ records not delivered .* within closeTimeoutMs \(500 ms\)/)
  },
)

t.test('a burst into a small buffer, the endpoint keeping up: delayed, not dropped', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  // 256 KiB of buffer against chunks of up to 4 MB from pino: taken in pieces as room frees.
  const run = await runScript(burst(sink.url, 100_000, { maxBufferBytes: 256 * 1024 }, ''), { timeoutMs: 60_000 })
  t.equal(run.code, 0, run.stderr)
  const { stats } = JSON.parse(run.stdout) as Findings
  t.same(
    { received: stats.received, delivered: stats.delivered, dropped: stats.dropped, buffered: stats.buffered },
    { received: 100_000, delivered: 100_000, dropped: {}, buffered: 0 },
  )
  t.equal(sink.records.length, 100_000)
})

t.test(
  'getLogger use_queue with a file and a slow endpoint: shutdown() within closeTimeoutMs + 1 s, all counted',
  async (t) => {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    t.teardown(() => sink.close())
    const file = `${tempDir()}/app.log`
    const closeTimeoutMs = 500
    const http = { url: sink.url, closeTimeoutMs, maxConcurrentRequests: 1 }
    const run = await runScript(
      `
import { getLogger, getStats, shutdown } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'slow', use_queue: true, console: false, file: ${JSON.stringify(file)}, http_handler: ${JSON.stringify(http)} })
for (let i = 0; i < 100000; i++) logger.info({ i }, 'burst')
${untilHandlerUp('slow')}
const started = Date.now()
await shutdown()
process.stdout.write(JSON.stringify({ shutdownMs: Date.now() - started }) + '\\n')
`,
      { timeoutMs: 60_000 },
    )
    t.equal(run.code, 0, run.stderr)
    const { shutdownMs } = JSON.parse(run.stdout) as { shutdownMs: number }
    t.ok(shutdownMs < closeTimeoutMs + 1000, `shutdown() in ${shutdownMs} ms (closeTimeoutMs ${closeTimeoutMs} + 1 s)`)
    t.notMatch(run.stderr, /took too long/, 'pino never gave up on the worker')
    atLeastOnce(t, sink.records.length, closeSummary(t, run.stderr, 100_000), 1000)
  },
)

t.test(
  'getLogger use_queue, a slow endpoint, then process.exit(): the exit is bounded and every record counted',
  async (t) => {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    t.teardown(() => sink.close())
    const closeTimeoutMs = 500
    const http = { url: sink.url, closeTimeoutMs, maxConcurrentRequests: 1 }
    const run = await runScript(
      `
import { getLogger, getStats } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'exit', use_queue: true, console: false, http_handler: ${JSON.stringify(http)} })
for (let i = 0; i < 100000; i++) logger.info({ i }, 'burst')
${untilHandlerUp('exit')}
process.stderr.write('exiting ' + Date.now() + '\\n')
process.exit(0)
`,
      { timeoutMs: 60_000 },
    )
    const exitedAt = Date.now()
    t.equal(run.code, 0, run.stderr)
    const exiting = Number(/exiting (\d+)/.exec(run.stderr)?.[1])
    // closeTimeoutMs + 1 s, and the child process's own ending as seen from here.
    t.ok(exitedAt - exiting < closeTimeoutMs + 1500, `exited ${exitedAt - exiting} ms after process.exit()`)
    t.notMatch(run.stderr, /took too long/, 'pino never gave up on the worker')
    atLeastOnce(t, sink.records.length, closeSummary(t, run.stderr, 100_000), 1000)
  },
)
