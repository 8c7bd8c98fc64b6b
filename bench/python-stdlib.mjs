// Benchmark: the Python standard library doing the documented job, against ours, on the same
// sinks (issue 6, workload 4), with the machine's python3 and no third-party packages:
// - HTTP: QueueHandler + QueueListener in front of logging.handlers.HTTPHandler (one POST per
//   record, as the stdlib does), versus @pino-advanced/http-async in pino's worker. Records/s
//   from the first log call until every record was delivered (listener.stop() drains; ours: the
//   transport's close), checked against the sink's count. Goal: at least 50 times theirs.
// - SMTP: logging.handlers.SMTPHandler under a storm of error records (one connection and one
//   mail per record) versus @pino-advanced/smtp-async (storm control): mails sent, and time.
// Run after a build: pnpm build && node bench/python-stdlib.mjs
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { fmt, median, spread, timeToClose } from './lib/rounds.mjs'

const PY_RECORDS = Number(process.env.BENCH_PY_RECORDS ?? 2000)
const OUR_RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000)
const STORM = Number(process.env.BENCH_STORM ?? 200)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const here = (path) => fileURLToPath(new URL(path, import.meta.url))

async function startSink(script) {
  const child = spawn(process.execPath, [here(script)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const [first] = await once(lines, 'line')
  return { port: JSON.parse(first).port, child, lines }
}

const http = await startSink('./sinks/http-sink.mjs')
const smtp = await startSink('./sinks/smtp-sink.mjs')
let mails = 0
smtp.lines.on('line', (line) => {
  mails = JSON.parse(line).mails
})
const counted = async () => (await (await fetch(`http://127.0.0.1:${http.port}/count`)).json()).records

const python = (code, ...args) => {
  const run = spawnSync('python3', ['-c', code, ...args.map(String)], { encoding: 'utf8', timeout: 600_000 })
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`)
  return JSON.parse(run.stdout)
}

const PY_HTTP = `
import json, logging, logging.handlers, queue, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
q = queue.Queue(-1)
listener = logging.handlers.QueueListener(q, logging.handlers.HTTPHandler('127.0.0.1:%d' % port, '/log', method='POST'))
logger = logging.getLogger('bench')
logger.setLevel(logging.INFO)
logger.propagate = False
logger.addHandler(logging.handlers.QueueHandler(q))
listener.start()
start = time.perf_counter()
for i in range(n):
    logger.info('request handled', extra={'i': i, 'user': 'ada', 'path': '/api/items', 'ms': 12.5})
logged = time.perf_counter()
listener.stop()
print(json.dumps({'ms': (time.perf_counter() - start) * 1000, 'loggedMs': (logged - start) * 1000}))
`

const PY_SMTP = `
import json, logging, logging.handlers, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
logger = logging.getLogger('storm')
logger.propagate = False
logger.addHandler(logging.handlers.SMTPHandler(('127.0.0.1', port), 'app@example.com', ['ops@example.com'], 'Log Alert'))
start = time.perf_counter()
for i in range(n):
    logger.error('db timeout %d', i)
print(json.dumps({'ms': (time.perf_counter() - start) * 1000}))
`

async function pyHttpRound() {
  const before = await counted()
  const { ms } = python(PY_HTTP, http.port, PY_RECORDS)
  const delivered = (await counted()) - before
  if (delivered !== PY_RECORDS) throw new Error(`python delivered ${delivered} of ${PY_RECORDS}`)
  return (PY_RECORDS / ms) * 1000
}

async function ourHttpRound() {
  const transport = pino.transport({
    target: here('../packages/http-async/dist/index.js'),
    options: { url: `http://127.0.0.1:${http.port}/log` },
  })
  await once(transport, 'ready')
  const logger = pino(transport)
  const before = await counted()
  const ms = await timeToClose(transport, () => {
    for (let i = 0; i < OUR_RECORDS; i++)
      logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
  })
  const delivered = (await counted()) - before
  if (delivered !== OUR_RECORDS) throw new Error(`http-async delivered ${delivered} of ${OUR_RECORDS}`)
  return (OUR_RECORDS / ms) * 1000
}

const theirs = []
const ours = []
await pyHttpRound()
await ourHttpRound()
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    theirs.push(await pyHttpRound())
    ours.push(await ourHttpRound())
  } else {
    ours.push(await ourHttpRound())
    theirs.push(await pyHttpRound())
  }
}

// The storm: theirs, then ours, counting mails at the same server.
const mailsBefore = mails
const pyStorm = python(PY_SMTP, smtp.port, STORM)
// The sink's reports were read while python ran (this thread waited): let them in.
const settle = async () => {
  for (let seen = -1; seen !== mails; ) {
    seen = mails
    await new Promise((r) => setTimeout(r, 200))
  }
}
await settle()
const pyMails = mails - mailsBefore
const ourBefore = mails
const transport = pino.transport({
  target: here('../packages/smtp-async/dist/index.js'),
  options: { mailhost: ['127.0.0.1', smtp.port], fromaddr: 'app@example.com', toaddrs: 'ops@example.com' },
})
await once(transport, 'ready')
const logger = pino(transport)
const ourStormMs = await timeToClose(transport, () => {
  for (let i = 0; i < STORM; i++) logger.error({ i }, 'db timeout')
})
await settle()
const ourMails = mails - ourBefore
http.child.kill()
smtp.child.kill()

const ratio = median(ours) / median(theirs)
const version = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim()
console.log(`## Against Python's standard library (issue 6, workload 4)

${version}, no third-party packages; the same sinks (separate processes). ${ROUNDS} rounds each,
alternating; medians (spread in brackets).

| job | Python stdlib | ours | ours is |
| --- | --- | --- | --- |
| HTTP, records/s delivered (QueueHandler + QueueListener + HTTPHandler: ${fmt(PY_RECORDS)} records; http-async in pino's worker: ${fmt(OUR_RECORDS)}) | ${fmt(median(theirs))} (${spread(theirs)}) | ${fmt(median(ours))} (${spread(ours)}) | **${ratio.toFixed(0)}x** |
| SMTP storm: ${fmt(STORM)} errors, mails sent (SMTPHandler; smtp-async with storm control) | ${fmt(pyMails)} mails in ${fmt(pyStorm.ms)} ms, the logging call blocking | ${fmt(ourMails)} mails, ${fmt(ourStormMs)} ms until closed | ${fmt(pyMails / Math.max(ourMails, 1))}x fewer mails |

Goal: at least 50 times the HTTP throughput: ${ratio >= 50 ? 'met' : 'NOT met'}; a handful of mails under a storm
against one per record: ${ourMails <= 5 && pyMails === STORM ? 'met' : 'NOT met'}.`)
process.exit(0)
