import t from 'tap'
import { createDiagnostics, redact } from '../src/diagnostics.ts'

t.test('redact removes registered secrets and credential shapes', async (t) => {
  t.equal(redact('login failed for hunter22', ['hunter22']), 'login failed for [REDACTED]')
  t.equal(redact('pw abc', ['abc']), 'pw abc', 'too-short secrets are left to the patterns')
  t.equal(redact('Authorization: Bearer abc.def'), 'Authorization: [REDACTED]')
  t.equal(redact('{"authorization":"Basic dTpw"}'), '{"authorization":"[REDACTED]"}')
  t.equal(redact('sent with bearer tok_123'), 'sent with bearer [REDACTED]')
  t.equal(redact('GET http://user:pa55@host/x failed'), 'GET http://user:[REDACTED]@host/x failed')
  t.equal(redact('password=s3cret&x=1'), 'password=[REDACTED]&x=1')
  t.equal(redact('{"token":"abc"}'), '{"token":"[REDACTED]"}')
  t.equal(redact('x-api-key: k1'), 'x-api-key: [REDACTED]')
  t.equal(redact('a (b) [c]', ['(b) [c]']), 'a [REDACTED]', 'secrets are matched literally')
})

t.test('diagnostics are prefixed, redacted and rate-limited per key', async (t) => {
  const lines: string[] = []
  let clock = 0
  const d = createDiagnostics({
    source: 'pino-advanced/http-async',
    intervalMs: 1000,
    secrets: ['hunter22'],
    write: (l) => lines.push(l),
    now: () => clock,
  })
  d.report('down', 'endpoint down (password hunter22)')
  d.report('down', 'endpoint down')
  d.report('down', 'endpoint down')
  d.report('other', 'another problem')
  clock = 1000
  d.report('down', 'endpoint still down')
  d.report('down', 'endpoint still down')
  clock = 2000
  d.report('down', 'endpoint still down')
  d.always('closing: 3 records undelivered')
  t.same(lines, [
    'pino-advanced/http-async: endpoint down (password [REDACTED])\n',
    'pino-advanced/http-async: another problem\n',
    'pino-advanced/http-async: endpoint still down (2 similar suppressed)\n',
    'pino-advanced/http-async: endpoint still down (1 similar suppressed)\n',
    'pino-advanced/http-async: closing: 3 records undelivered\n',
  ])
})

t.test('by default diagnostics go to stderr', async (t) => {
  const written: string[] = []
  const original = process.stderr.write
  process.stderr.write = ((chunk: string) => {
    written.push(chunk)
    return true
  }) as typeof process.stderr.write
  try {
    createDiagnostics({ source: 'src' }).always('hello')
  } finally {
    process.stderr.write = original
  }
  t.same(written, ['src: hello\n'])
})
