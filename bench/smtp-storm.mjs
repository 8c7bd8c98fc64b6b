// Storm measurement for smtp-async (after a build: `pnpm exec tsc -b packages/smtp-async`):
//   node --expose-gc bench/smtp-storm.mjs [records=100000]
// 1. In process, a fake mailer and a clock that never moves: the cost of folding one error
//    record into the pending digest, of skipping one below `level`, and the heap held by a
//    digest that accounts for every record (it must stay flat: listed up to 100, the rest a tally).
// 2. Through pino.transport (a real worker) to a real SMTP server on 127.0.0.1 in a child
//    process (pino's transport.end() blocks the main thread until the worker has closed, so a
//    server on the main thread could not answer), groupIntervalMs 200: the main thread's cost
//    per record, the mails that arrived, and received = delivered checked.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const dist = fileURLToPath(new URL('../packages/smtp-async/dist/index.js', import.meta.url))
// Output on stdout (the linter keeps console out of package sources).
const say = (line) => process.stdout.write(`${line}\n`)

if (process.argv[2] === '--server') {
  const { SMTPServer } = require('smtp-server')
  let mails = 0
  let bytes = 0
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      stream.on('data', (chunk) => {
        bytes += chunk.length
      })
      stream.on('end', () => {
        mails++
        callback()
      })
    },
  })
  server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }))
  process.on('message', () => {
    process.send({ mails, bytes })
    server.close()
    process.disconnect()
  })
} else {
  const n = Number(process.argv[2] ?? 100_000)
  const { createSmtpAsync } = await import(dist)
  const record = (level, i) =>
    `{"level":${level},"time":1700000000000,"pid":1,"hostname":"box","name":"app","msg":"${i % 10 ? 'db timeout' : 'cache miss'}","i":${i}}`
  const errors = Array.from({ length: 1000 }, (_, i) => record(50, i))
  const infos = Array.from({ length: 1000 }, (_, i) => record(30, i))

  const sent = []
  const mailer = {
    async send(mail) {
      sent.push(mail.text.length)
      return { ok: true }
    },
    release() {},
    close() {},
  }
  const frozen = { now: () => 0, setTimeout: () => undefined, clearTimeout: () => {} }
  const stream = await createSmtpAsync(
    { mailhost: 'h', fromaddr: 'a@b.test', toaddrs: 'c@d.test' },
    { mailer, clock: frozen, writeDiagnostic: () => {} },
  )
  // With --expose-gc the heap is measured after collections: what the digest retains.
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  let t = performance.now()
  for (let i = 0; i < n; i++) stream.engine.push(errors[i % 1000])
  const foldNs = ((performance.now() - t) * 1e6) / n
  globalThis.gc?.()
  const heapKiB = (process.memoryUsage().heapUsed - heapBefore) / 1024
  t = performance.now()
  for (let i = 0; i < n; i++) stream.engine.push(infos[i % 1000])
  const skipNs = ((performance.now() - t) * 1e6) / n
  t = performance.now()
  stream.end()
  await once(stream, 'close')
  const closeMs = performance.now() - t
  const local = stream.engine.counters.snapshot()
  say(`in process, ${n} error records then ${n} info records:`)
  say(`  fold one error record into the digest: ${foldNs.toFixed(0)} ns; skip one below level: ${skipNs.toFixed(0)} ns`)
  say(`  heap growth while the digest held ${n - 1} records: ${heapKiB.toFixed(0)} KiB`)
  say(
    `  close (format + hand over the digest): ${closeMs.toFixed(1)} ms; ${sent.length} mails; ${JSON.stringify(local)}`,
  )

  const server = fork(fileURLToPath(import.meta.url), ['--server'])
  const [{ port }] = await once(server, 'message')
  const pino = require('pino')
  const transport = pino.transport({
    target: dist,
    options: { mailhost: ['127.0.0.1', port], fromaddr: 'a@b.test', toaddrs: 'c@d.test', groupIntervalMs: 200 },
  })
  let stats
  transport.on('pino-advanced:stats', (s) => {
    stats = s
  })
  await once(transport, 'ready')
  const logger = pino(transport)
  t = performance.now()
  for (let i = 0; i < n; i++) logger.error({ i }, i % 10 ? 'db timeout' : 'cache miss')
  const logMs = performance.now() - t
  t = performance.now()
  const closed = once(transport, 'close')
  transport.end()
  await closed
  const endMs = performance.now() - t
  server.send('report')
  const [{ mails, bytes }] = await once(server, 'message')
  say(`pino.transport worker -> smtp-server child, groupIntervalMs 200, ${n} logger.error calls:`)
  say(
    `  main thread: ${logMs.toFixed(0)} ms (${((logMs * 1e6) / n).toFixed(0)} ns/record); end to close: ${endMs.toFixed(0)} ms`,
  )
  say(`  ${mails} mails (${bytes} bytes) arrived; stats ${JSON.stringify(stats)}`)
  if (stats?.received !== n || stats.delivered !== n) {
    process.stderr.write('smtp-async bench: not every record was delivered\n')
    process.exitCode = 1
  }
}
