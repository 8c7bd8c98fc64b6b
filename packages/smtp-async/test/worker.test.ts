// pino.transport worker tests, against the BUILT package (a .ts target cannot load in a
// worker): run `pnpm exec tsc -b packages/smtp-async` first. Plus the default export on the
// main thread, inside pino.multistream.
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import pino from 'pino'
import t from 'tap'
import { dep, runScript } from '../../../test/helpers/child.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { closeTransport } from '../../../test/helpers/transport.ts'
import smtpAsyncTransport from '../src/index.ts'

const target = fileURLToPath(new URL('../dist/index.js', import.meta.url))

t.test('the documented example in a worker: logger.fatal(...) mails the alert', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const transport = pino.transport({
    target,
    options: {
      mailhost: ['127.0.0.1', sink.port],
      fromaddr: 'from@example.com',
      toaddrs: ['to1@example.com', 'to2@example.com'],
      subject: 'Log Alert',
    },
  })
  const stats: DeliveryStats[] = []
  transport.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  const logger = pino({ name: 'myapp' }, transport)
  logger.info('not an alert')
  logger.fatal(new Error('disk full'), 'This is a critical message')
  const alive = setInterval(() => {}, 1000)
  const [mail] = await sink.waitForMessages(1, 10_000).finally(() => clearInterval(alive))
  await closeTransport(transport)
  t.equal(mail?.subject, 'Log Alert')
  t.equal(mail?.from?.text, 'from@example.com')
  t.match(mail?.to, { text: 'to1@example.com, to2@example.com' })
  t.match(mail?.text, /FATAL This is a critical message/)
  t.match(mail?.text, /Error: disk full/)
  t.equal(sink.messages.length, 1, 'info is below the default level')
  t.match(
    stats.at(-1),
    { destination: 'smtp-async', received: 1, delivered: 1, buffered: 0 },
    'stats in the main thread',
  )
})

t.test('logger.flush(cb) with a single pino.transport target calls back once the mail arrived', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const transport = pino.transport({
    target,
    options: {
      mailhost: ['127.0.0.1', sink.port],
      fromaddr: 'from@example.com',
      toaddrs: 'to@example.com',
      groupIntervalMs: 3_600_000,
      closeTimeoutMs: 500,
    },
  })
  const logger = pino(transport)
  logger.error('first')
  logger.error('second: held for the group interval')
  const alive = setInterval(() => {}, 1000)
  const arrived = await new Promise<string[]>((resolve, reject) =>
    logger.flush((err) => (err ? reject(err) : resolve(sink.messages.map((m) => m.subject ?? '')))),
  ).finally(() => clearInterval(alive))
  await closeTransport(transport)
  t.same(arrived, ['[error] first', '[error] second: held for the group interval'])
})

t.test('a record logged right before process.exit(0) is mailed', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const options = { mailhost: `127.0.0.1:${sink.port}`, fromaddr: 'app@example.com', toaddrs: 'ops@example.com' }
  const result = await runScript(
    `
    import pino from ${JSON.stringify(dep('pino'))}
    const transport = pino.transport({ target: ${JSON.stringify(target)}, options: ${JSON.stringify(options)} })
    const logger = pino(transport)
    logger.error({ last: true }, 'logged just before exit')
    process.exit(0)
    `,
    { timeoutMs: 20_000 },
  )
  t.equal(result.code, 0, result.stderr)
  t.equal(result.timedOut, false)
  const [mail] = await sink.waitForMessages(1, 5000)
  t.equal(mail?.subject, '[error] logged just before exit')
  t.match(mail?.attachments[0]?.content.toString('utf8'), /"last":true/)
})

t.test('the default export on the main thread: a stream for pino.multistream', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const stream = await smtpAsyncTransport({
    mailhost: ['127.0.0.1', sink.port],
    fromaddr: 'app@example.com',
    toaddrs: 'ops@example.com',
    level: 'warn',
    statsName: 'smtp-main',
  })
  const stats: DeliveryStats[] = []
  stream.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  const logger = pino({ level: 'info' }, pino.multistream([{ level: 'info', stream }]))
  logger.info('not for mail')
  logger.warn('from the main thread')
  const [mail] = await sink.waitForMessages(1)
  const closed = once(stream, 'close')
  stream.end()
  await closed
  t.equal(mail?.subject, '[warn] from the main thread')
  t.same(stats.at(-1), {
    destination: 'smtp-main',
    received: 1,
    delivered: 1,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})
