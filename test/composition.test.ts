// The design's composition forms, by package name as users write them, in real pino workers
// (the packages' built dist): our targets beside pino/file in an existing pino setup, a
// memory-buffer -> http-async pipeline, and targets mixing all three transports.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import t from 'tap'
import { records, tempDir } from './helpers/child.ts'
import { startHttpSink } from './helpers/http-sink.ts'
import { startSmtpSink } from './helpers/smtp-sink.ts'
import { closeTransport } from './helpers/transport.ts'

const opts = { base: null, timestamp: false } as const

t.test('an existing pino setup: http-async in targets beside pino/file, each with its level', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const file = join(tempDir(), 'app.log')
  const transport = pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: file }, level: 'info' },
      { target: '@pino-advanced/http-async', options: { url: sink.url, flushIntervalMs: 20 }, level: 'warn' },
    ],
  })
  const logger = pino({ ...opts, level: 'info' }, transport)
  logger.info('file only')
  logger.warn('both')
  // Wait for delivery before closing: ending the transport blocks this thread, where the sink runs.
  await sink.waitForRecords(1, 10_000)
  await closeTransport(transport)
  t.same(
    sink.records.map((r) => r.msg),
    ['both'],
  )
  t.same(
    records(readFileSync(file, 'utf8')).map((r) => r.msg),
    ['file only', 'both'],
  )
})

t.test('a pipeline: memory-buffer, then http-async', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const transport = pino.transport({
    pipeline: [
      { target: '@pino-advanced/memory-buffer', options: { capacity: 100, flushLevel: 'ERROR' } },
      { target: '@pino-advanced/http-async', options: { url: sink.url, flushIntervalMs: 20 } },
    ],
  })
  const logger = pino({ ...opts, level: 'debug' }, transport)
  logger.debug('context 1')
  logger.info('context 2')
  logger.error('the error releases its context')
  await sink.waitForRecords(3, 10_000)
  await closeTransport(transport)
  t.same(
    sink.records.map((r) => r.msg),
    ['context 1', 'context 2', 'the error releases its context'],
  )
  t.equal(sink.requests.length, 1, 'released together, sent as one batch')
})

t.test('targets mixing all three transports', async (t) => {
  const http = await startHttpSink()
  const smtp = await startSmtpSink()
  t.teardown(async () => {
    await http.close()
    await smtp.close()
  })
  const file = join(tempDir(), 'buffered.log')
  const transport = pino.transport({
    targets: [
      {
        target: '@pino-advanced/memory-buffer',
        options: { capacity: 100, flushLevel: 'error', destination: file },
        level: 'info',
      },
      { target: '@pino-advanced/http-async', options: { url: http.url, flushIntervalMs: 20 }, level: 'info' },
      {
        target: '@pino-advanced/smtp-async',
        options: { mailhost: ['127.0.0.1', smtp.port], fromaddr: 'a@example.com', toaddrs: ['b@example.com'] },
        level: 'error',
      },
    ],
  })
  const logger = pino({ ...opts, level: 'info' }, transport)
  logger.info('routine')
  logger.error('payment failed')
  const [mail] = await smtp.waitForMessages(1, 10_000)
  await http.waitForRecords(2, 10_000)
  await closeTransport(transport)
  t.equal(mail?.subject, '[error] payment failed')
  t.same(
    http.records.map((r) => r.msg),
    ['routine', 'payment failed'],
  )
  t.same(
    records(readFileSync(file, 'utf8')).map((r) => r.msg),
    ['routine', 'payment failed'],
    'the memory buffer released both on the error',
  )
})
