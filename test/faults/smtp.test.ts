// SMTP faults beyond the single-mail ones in packages/smtp-async/test/smtp.test.ts (421 then
// success, 5xx, connection dropped after DATA, a server that never answers, a server down at
// close): a storm while the server is down, and malformed input on the stream; exact accounting.
import { once } from 'node:events'
import type { DeliveryStats } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { createSmtpAsync, type SmtpAsyncStream } from '../../packages/smtp-async/src/transport.ts'
import { startSmtpSink } from '../helpers/smtp-sink.ts'
import { until } from '../helpers/until.ts'

const error = (i: number, msg = 'db timeout') => `${JSON.stringify({ level: 50, time: 1, msg, i })}\n`

async function transport(t: Test, port: number, options: Record<string, unknown> = {}) {
  const diagnostics: string[] = []
  const stream = await createSmtpAsync(
    { mailhost: ['127.0.0.1', port], fromaddr: 'a@example.com', toaddrs: 'b@example.com', ...options },
    { writeDiagnostic: (l) => diagnostics.push(l), statsIntervalMs: 5 },
  )
  t.teardown(() => {
    if (!stream.destroyed) stream.destroy()
  })
  return { stream, diagnostics }
}

function accounted(t: Test, stream: SmtpAsyncStream): DeliveryStats {
  const s = stream.engine.counters.snapshot()
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0)
  t.equal(s.received, s.delivered + dropped + s.buffered, 'received = delivered + dropped + buffered')
  return s
}

t.test('a storm while the server is down, then it is back: a handful of mails, every record in one', async (t) => {
  const first = await startSmtpSink()
  const port = first.port
  await first.close()
  const { stream } = await transport(t, port, { retryBaseDelayMs: 50, retryMaxDelayMs: 100, groupIntervalMs: 300 })
  for (let i = 0; i < 500; i++) stream.write(error(i, i % 2 ? 'db timeout' : 'disk full'))
  await until(() => stream.engine.counters.retried >= 2, 'retries while down')
  t.match(accounted(t, stream), { received: 500, delivered: 0 })
  const sink = await startSmtpSink({ port })
  t.teardown(() => sink.close())
  await until(() => stream.engine.counters.delivered === 500, 'all delivered', 15_000)
  const closed = once(stream, 'close')
  stream.end()
  await closed
  t.match(accounted(t, stream), { received: 500, delivered: 500, dropped: {}, buffered: 0 })
  t.ok(sink.messages.length <= 3, `${sink.messages.length} mails for 500 records`)
  const listedOrCounted = sink.messages.reduce((n, m) => {
    const more = /\(\+(\d+) more\)/.exec(m.subject ?? '')
    return n + 1 + Number(more?.[1] ?? 0)
  }, 0)
  t.equal(listedOrCounted, 500, 'every record is in some mail')
})

t.test('malformed input: non-JSON and empty lines are not records; invalid UTF-8 is mailed, replaced', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const { stream } = await transport(t, sink.port)
  stream.write('not json at all\n\n\r\n')
  stream.write(
    Buffer.concat([Buffer.from('{"level":50,"time":1,"msg":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
  )
  const [mail] = await sink.waitForMessages(1)
  const closed = once(stream, 'close')
  stream.end()
  await closed
  t.equal(mail?.subject, '[error] bad \ufffd\ufffd')
  t.match(accounted(t, stream), { received: 1, delivered: 1, dropped: {}, buffered: 0 })
})
