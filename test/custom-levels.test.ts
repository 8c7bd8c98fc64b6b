// pino's own options on a single target: with `customLevels` (and `dedupe`) pino adds `levels`
// (and `dedupe`) to the target's options; each transport starts, and takes the custom names
// where it takes a level.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import t from 'tap'
import { records, tempDir } from './helpers/child.ts'
import { startHttpSink } from './helpers/http-sink.ts'
import { startSmtpSink } from './helpers/smtp-sink.ts'
import { closeTransport, type Transport } from './helpers/transport.ts'

const opts = { base: null, timestamp: false, customLevels: { audit: 35 } } as const
type Audited = pino.Logger<'audit'>

/** pino({ customLevels, transport }): pino builds the transport and passes it the levels. */
function audited(transport: pino.TransportSingleOptions, level = 'info') {
  const logger = pino({ ...opts, level, transport }) as Audited
  return { logger, transport: (logger as unknown as Record<symbol, Transport>)[pino.symbols.streamSym] as Transport }
}

t.test('http-async as the single target of a logger with customLevels: it starts and delivers', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const transport = pino.transport({
    target: '@pino-advanced/http-async',
    options: { url: sink.url, flushIntervalMs: 10 },
  })
  const logger = pino(opts, transport) as Audited
  logger.audit('who did what')
  await sink.waitForRecords(1, 10_000)
  await closeTransport(transport)
  t.match(sink.records, [{ level: 35, msg: 'who did what' }])
})

t.test("memory-buffer: flushLevel may name the logger's custom level", async (t) => {
  const file = join(tempDir(), 'audit.log')
  const { logger, transport } = audited(
    { target: '@pino-advanced/memory-buffer', options: { destination: file, flushLevel: 'audit', capacity: 100 } },
    'debug',
  )
  logger.debug('context')
  logger.audit('released with its context')
  await closeTransport(transport)
  t.same(
    records(readFileSync(file, 'utf8')).map((r) => r.msg),
    ['context', 'released with its context'],
  )
})

t.test("smtp-async: level may name the logger's custom level; below it nothing is mailed", async (t) => {
  const smtp = await startSmtpSink()
  t.teardown(() => smtp.close())
  const { logger, transport } = audited({
    target: '@pino-advanced/smtp-async',
    options: {
      mailhost: `127.0.0.1:${smtp.port}`,
      fromaddr: 'app@example.com',
      toaddrs: 'ops@example.com',
      level: 'audit',
      groupIntervalMs: 0,
    },
  })
  logger.info('not mailed')
  logger.audit('mailed')
  await smtp.waitForMessages(1, 10_000)
  await closeTransport(transport)
  t.same(
    smtp.messages.map((m) => m.subject?.includes('mailed') && !m.text?.includes('not mailed')),
    [true],
  )
})
