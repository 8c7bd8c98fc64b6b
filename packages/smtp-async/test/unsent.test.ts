// The exit handoff (core's Unsent): what a stream on the application's thread had not sent, and
// its delivery by another process's stream.
import t from 'tap'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { createSmtpAsync, deliverUnsent } from '../src/transport.ts'

const record = (level: number, msg: string) => JSON.stringify({ level, time: 1, msg, name: 'app' })
const address = (port: number) => ({
  mailhost: ['127.0.0.1', port] as [string, number],
  fromaddr: 'a@example.com',
  toaddrs: 'b@example.com',
})

t.test(
  'takeUnsent: the mail in flight, the pending digest and a partial line; another process sends them',
  async (t) => {
    const hung = await startSmtpSink({ script: ['hang'] })
    t.teardown(() => hung.close())
    const stream = await createSmtpAsync({ ...address(hung.port), closeTimeoutMs: 100 }, { writeDiagnostic: () => {} })
    stream.write(`${record(50, 'first')}\n`)
    await hung.waitForData(1)
    stream.write(`${record(60, 'second')}\n${record(50, 'third')}\n`)
    stream.write(record(50, 'partial'))
    const unsent = stream.takeUnsent()
    t.same(
      unsent.mails?.map((m) => [m.mail.subject, m.count]),
      [
        ['[error] first', 1],
        ['[fatal] second (+1 more)', 2],
      ],
    )
    t.same(unsent.lines, [record(50, 'partial')])
    stream.destroy()

    const sink = await startSmtpSink()
    t.teardown(() => sink.close())
    await deliverUnsent(address(sink.port), unsent)
    t.same(
      sink.messages.map((m) => m.subject),
      ['[error] first', '[fatal] second (+1 more)', '[error] partial'],
    )
  },
)

t.test('deliverUnsent with lines only (the handler never started in the dying process)', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  await deliverUnsent(address(sink.port), { lines: [record(50, 'only')] })
  t.same(
    sink.messages.map((m) => m.subject),
    ['[error] only'],
  )
})
