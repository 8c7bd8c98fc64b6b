// Cases for exit-*.test.ts: the end of the process, every way it comes, with every destination
// configured (console, file, an HTTP sink and an SMTP server, a memory buffer in front of each).
// Each case runs the application in a child process and checks, destination by destination,
// that every record arrived, in order, within the close deadline.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'

/** How the application ends, the exit code it ends with, and a signal the test sends it. */
export const ENDINGS = [
  { how: 'the natural end', code: 0, script: '' },
  { how: 'process.exit() right after logging', code: 0, script: 'process.exit(0)' },
  { how: 'an uncaught exception', code: 1, script: "throw new Error('crash')" },
  { how: 'an unhandled rejection', code: 1, script: "Promise.reject(new Error('crash'))" },
  { how: 'logger.fatal() then exit', code: 1, script: "logger.fatal({ i: 'fatal' }, 'dying'); process.exit(1)" },
  { how: 'SIGTERM', code: 143, signal: 'SIGTERM', script: 'setInterval(() => {}, 1000)' },
  { how: 'SIGINT', code: 130, signal: 'SIGINT', script: 'setInterval(() => {}, 1000)' },
] as const

type Ending = (typeof ENDINGS)[number]

/**
 * The handlers' close deadline in these cases: short, so that a case that hits it ends soon.
 * Where every server answers, the deadline is never reached; it is longer there so that a
 * loaded machine still delivers within it (a record past it would be lost, and the case fail).
 */
const HUNG_CLOSE_MS = 500
const ANSWERED_CLOSE_MS = 1000
/**
 * What the end of the process may take beyond the handlers' close deadline (they close side
 * by side): starting the exit hand-off child (a fresh node importing the transports) or
 * stopping pino's worker, and the file's and console's last writes. Generous for a loaded
 * 2-core machine (measured on an idle one: 1 to 4 s, the first case of a file the slowest).
 */
const EXIT_ALLOWANCE_MS = 6000
/**
 * After a signal, getLogger first gives the application's own listeners for it up to 5 s to
 * clean up (SIGNAL_CLEANUP_MS in get-logger.ts). The child always has one: tap's coverage
 * hook (NODE_OPTIONS) listens for SIGTERM and SIGINT, and the script's interval keeps the loop
 * busy, so a signal case waits that long before the shutdown begins.
 */
const SIGNAL_CLEANUP_MS = 5000

/** Every record reaches console, file, HTTP and SMTP, a memory buffer in front of each. */
export async function everyRecordArrives(t: Test, ending: Ending, useQueue: boolean, async: boolean): Promise<void> {
  const http = await startHttpSink()
  const smtp = await startSmtpSink()
  t.teardown(async () => {
    await http.close()
    await smtp.close()
  })
  const file = join(tempDir(), 'app.log')
  const options = {
    name: 'ending',
    file,
    use_queue: useQueue,
    use_memory_handler: true,
    handleSignals: true,
    http_handler: { url: http.url, async, flushIntervalMs: 60_000, closeTimeoutMs: ANSWERED_CLOSE_MS },
    smtp_handler: {
      mailhost: ['127.0.0.1', smtp.port],
      fromaddr: 'app@example.com',
      toaddrs: 'ops@example.com',
      async,
      closeTimeoutMs: ANSWERED_CLOSE_MS,
    },
  }
  const signal = 'signal' in ending ? ending.signal : undefined
  const out = await runScript(
    `
  import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
  const logger = getLogger(${JSON.stringify(options)})
  for (let i = 0; i < 10; i++) logger.info({ i }, 'before the error')
  logger.error({ i: 'error' }, 'releases the memory buffers')
  // Held in the memory buffers (capacity 100) and in the HTTP batch when the process ends.
  for (let i = 10; i < 20; i++) logger.info({ i }, 'held')
  process.stderr.write('ready ' + Date.now() + '\\n')
  ${ending.script}
  `,
    {
      timeoutMs: 20_000,
      onSpawn: (child) =>
        child.stderr?.on('data', (d: Buffer) => {
          if (signal && String(d).includes('ready')) child.kill(signal)
        }),
    },
  )
  t.notOk(out.timedOut, 'the process ended by itself')
  t.equal(out.code, ending.code, out.stderr)
  // Timed from the moment the application ends, not from its start (slow on a loaded machine).
  const took = Date.now() - Number(/ready (\d+)/.exec(out.stderr)?.[1])
  const bound = (signal ? SIGNAL_CLEANUP_MS : 0) + ANSWERED_CLOSE_MS + EXIT_ALLOWANCE_MS
  t.ok(took < bound, `within the deadlines and the exit allowance (${took} ms < ${bound} ms)`)
  const want = [...Array.from({ length: 10 }, (_, i) => i), 'error', ...Array.from({ length: 10 }, (_, i) => i + 10)]
  if (ending.how.includes('fatal')) want.push('fatal')
  const ids = (list: Record<string, unknown>[]) => list.map((r) => r.i)
  t.same(ids(records(out.stdout)), want, 'console')
  t.same(ids(records(readFileSync(file, 'utf8'))), want, 'file')
  t.same(ids(http.records), want, 'HTTP')
  // SMTP (level error): the error is mailed at once; a fatal comes in the digest at close.
  const mails = await smtp.waitForMessages(want.includes('fatal') ? 2 : 1, 5000)
  t.same(
    mails.map((m) => m.subject),
    ['[error] releases the memory buffers', ...(want.includes('fatal') ? ['[fatal] dying'] : [])],
    'SMTP',
  )
  t.notMatch(out.stderr, /not delivered|not mailed|dropped/, 'nothing reported lost')
}

/**
 * A destination that never answers must not hold the process: it ends within the handlers'
 * close deadline (HUNG_CLOSE_MS, well under pino's own 10 s limit) and says on stderr what was
 * not delivered.
 */
export async function hungServersReported(t: Test, ending: Ending, useQueue: boolean): Promise<void> {
  const http = await startHttpSink({ script: Array.from({ length: 20 }, () => ({ hang: true as const })) })
  const smtp = await startSmtpSink({ script: ['hang', 'hang', 'hang', 'hang'] })
  t.teardown(async () => {
    await http.close()
    await smtp.close()
  })
  const file = join(tempDir(), 'app.log')
  const options = {
    name: 'hang',
    file,
    use_queue: useQueue,
    http_handler: { url: http.url, async: false, closeTimeoutMs: HUNG_CLOSE_MS },
    smtp_handler: {
      mailhost: ['127.0.0.1', smtp.port],
      fromaddr: 'a@example.com',
      toaddrs: 'b@example.com',
      async: false,
      closeTimeoutMs: HUNG_CLOSE_MS,
    },
  }
  // Timed from the moment the application ends (not from its start, which a loaded machine
  // can make slow): the close deadlines are what must hold.
  const out = await runScript(
    `
  import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
  const logger = getLogger(${JSON.stringify(options)})
  for (let i = 0; i < 5; i++) logger.error({ i }, 'into the void')
  process.stderr.write('ENDING ' + Date.now() + '\\n')
  ${ending.script}
  `,
    { timeoutMs: 20_000 },
  )
  const ended = Date.now()
  const took = ended - Number(/ENDING (\d+)/.exec(out.stderr)?.[1])
  t.notOk(out.timedOut, 'the process ended by itself')
  t.equal(out.code, ending.code)
  // Each handler gave up at its own deadline (said in its report), not at pino's 10 s limit.
  const bound = HUNG_CLOSE_MS + EXIT_ALLOWANCE_MS
  t.ok(took < bound, `ended within the close deadline and the exit allowance (${took} ms < ${bound} ms)`)
  t.same(
    records(readFileSync(file, 'utf8')).map((r) => r.i),
    [0, 1, 2, 3, 4],
    'the file has every record',
  )
  const deadline = `within closeTimeoutMs \\(${HUNG_CLOSE_MS} ms\\)`
  t.match(out.stderr, new RegExp(`5 records not delivered to POST http://127\\.0\\.0\\.1:\\d+/log ${deadline}`))
  t.match(out.stderr, new RegExp(`record\\(s\\) not mailed ${deadline}`))
}
