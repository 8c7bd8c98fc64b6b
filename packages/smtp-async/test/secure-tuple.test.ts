// `secure` as Python's SMTPHandler writes it: () STARTTLS, (keyfile,), (keyfile, certfile): a
// client certificate over STARTTLS, against a real server that asks for one.
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { makeTestCerts } from '../../../test/helpers/certs.ts'
import { tempDir } from '../../../test/helpers/child.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { resolveOptions } from '../src/options.ts'
import { createSmtpAsync } from '../src/transport.ts'

const certs = makeTestCerts()
const dir = tempDir()
const keyfile = join(dir, 'client.key')
const certfile = join(dir, 'client.crt')
const bundle = join(dir, 'client.pem')
writeFileSync(keyfile, certs.serverKey)
writeFileSync(certfile, certs.serverCert)
writeFileSync(bundle, `${certs.serverKey}\n${certs.serverCert}`)
const base = { mailhost: 'mail.test:587', fromaddr: 'a@app.test', toaddrs: 'b@app.test' }

for (const [label, secure, client] of [
  ['[] (STARTTLS, no client certificate)', [], ''],
  ['[keyfile, certfile]', [keyfile, certfile], 'localhost'],
  ['[keyfile] (one PEM file holding the key and the certificate)', [bundle], 'localhost'],
] as const) {
  t.test(`secure: ${label}`, async (t) => {
    const sink = await startSmtpSink({
      starttls: true,
      requestCert: true,
      key: certs.serverKey,
      cert: certs.serverCert,
    })
    t.teardown(() => sink.close())
    const stream = await createSmtpAsync(
      { mailhost: ['127.0.0.1', sink.port], fromaddr: base.fromaddr, toaddrs: base.toaddrs, secure, ca: certs.caCert },
      { writeDiagnostic: () => {} },
    )
    stream.write(`${JSON.stringify({ level: 50, time: 1, msg: 'over starttls' })}\n`)
    await sink.waitForMessages(1)
    const closed = once(stream, 'close')
    stream.end()
    await closed
    t.same(sink.clientCertificates, [client])
    t.equal(resolveOptions({ ...base, secure }).tlsMode, 'starttls', 'STARTTLS is required, as secure: true')
  })
}

t.test('secure: mistakes are named; the key never printed', async (t) => {
  const cases: [unknown, string, RegExp][] = [
    [
      [1, 2, 3],
      'secure',
      /received a list of 3; expected true, false, \[\] \(STARTTLS\), \[keyfile\] or \[keyfile, certfile\]/,
    ],
    [[join(dir, 'missing.key')], 'secure[0]', /missing\.key cannot be read \(ENOENT\)/],
    [[keyfile, 5], 'secure[1]', /received 5; expected a file path/],
  ]
  const problems: string[] = []
  for (const [secure, option, message] of cases) {
    try {
      resolveOptions({ ...base, secure })
      problems.push(`${option}: accepted`)
    } catch (err) {
      const e = err as { option?: string; message: string }
      if (e.option !== option || !message.test(e.message)) problems.push(`${option}: ${e.option}: ${e.message}`)
    }
  }
  t.same(problems, [])
  const both = t.throws(() => resolveOptions({ ...base, secure: [keyfile, certfile], tls: { key: certs.serverKey } }), {
    option: 'secure',
    message: /give the client certificate once/,
  }) as Error
  t.notMatch(both.message, /PRIVATE KEY/)
  t.match(resolveOptions({ ...base, secure: [bundle] }).tls, { key: /PRIVATE KEY/, cert: /CERTIFICATE/ })
})
