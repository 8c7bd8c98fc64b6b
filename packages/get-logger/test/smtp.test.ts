import t from 'tap'
import { pkg, runScript } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

t.test('documented: async SMTP and HTTP handlers, then logger.critical()', async (t) => {
  const smtp = await startSmtpSink()
  const http = await startHttpSink()
  t.teardown(async () => {
    await smtp.close()
    await http.close()
  })
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'myapp',
    console: false,
    smtp_handler: {
      mailhost: ['127.0.0.1', smtp.port],
      fromaddr: 'from@example.com',
      toaddrs: ['to@example.com'],
      subject: 'Log Alert',
      async: true,
    },
    http_handler: {
      host: `localhost:${http.port}`,
      url: '/log',
      method: 'POST',
      async: true,
    },
  })
  logger.info('over HTTP only: below the SMTP handler level (error)')
  logger.critical('This message is sent via email and HTTP asynchronously.')
  // The first alert after quiet is mailed at once. (Wait before shutdown: pino's worker close
  // blocks this thread, where the test's own servers run.)
  const [mail] = await smtp.waitForMessages(1, 10_000)
  await http.waitForRecords(2, 10_000)
  await registry.shutdown()
  t.equal(smtp.messages.length, 1)
  t.equal(mail?.subject, 'Log Alert')
  t.equal(mail?.from?.text, 'from@example.com')
  t.match(mail?.text, 'FATAL This message is sent via email and HTTP asynchronously.')
  t.same(
    http.records.map((r) => r.level),
    [30, 60],
  )
})

t.test('SMTP handler async: false runs on the main thread and mails at the natural end', async (t) => {
  const smtp = await startSmtpSink()
  t.teardown(() => smtp.close())
  const out = await runScript(`
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'main-smtp', console: false, smtp_handler: {
  mailhost: '127.0.0.1:${smtp.port}', fromaddr: 'a@example.com', toaddrs: 'b@example.com', async: false, groupIntervalMs: 60000 } })
logger.error('first: mailed at once')
logger.error('second: held for the digest, sent when the process ends')
`)
  t.equal(out.code, 0, out.stderr)
  await smtp.waitForMessages(2, 10_000)
  t.same(
    smtp.messages.map((m) => m.subject),
    ['[error] first: mailed at once', '[error] second: held for the digest, sent when the process ends'],
  )
})

t.test('a record logged right before process.exit() is mailed (async SMTP handler)', async (t) => {
  const smtp = await startSmtpSink()
  t.teardown(() => smtp.close())
  const out = await runScript(`
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'exit-smtp', console: false, use_queue: true, smtp_handler: {
  mailhost: ['127.0.0.1', ${smtp.port}], fromaddr: 'a@example.com', toaddrs: ['b@example.com'] } })
logger.fatal('dying words')
process.exit(1)
`)
  t.equal(out.code, 1, out.stderr)
  const [mail] = await smtp.waitForMessages(1, 10_000)
  t.equal(mail?.subject, '[fatal] dying words')
})

t.test('bad SMTP handler options fail in getLogger, naming the option', async (t) => {
  const registry = new LoggerRegistry()
  t.throws(() => registry.getLogger({ name: 'bad-smtp', smtp_handler: { mailhost: 'h', fromaddr: 'a@b.c' } }), {
    name: 'ConfigError',
    option: 'smtp_handler.toaddrs',
  })
})
