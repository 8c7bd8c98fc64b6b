import t from 'tap'
import { Digest } from '../src/digest.ts'
import { formatMail, recordMessage } from '../src/format.ts'
import { headerSafe, renderSubject } from '../src/subject.ts'

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 50,
    time: Date.UTC(2026, 0, 2, 3, 4, 5),
    pid: 1,
    hostname: 'web-1',
    name: 'myapp',
    ...fields,
  })

t.test('subject template fields, and CR/LF never reach the header', async (t) => {
  const fields = { level: 'error', msg: 'db timeout', name: 'myapp', hostname: 'web-1', count: 1 }
  t.equal(renderSubject('[{level}] {name}@{hostname}: {msg} ({count})', fields), '[error] myapp@web-1: db timeout (1)')
  t.equal(renderSubject('Log Alert', fields), 'Log Alert')
  t.equal(renderSubject('Log Alert', { ...fields, count: 5 }), 'Log Alert (+4 more)')
  t.equal(renderSubject('{count} alerts', { ...fields, count: 5 }), '5 alerts')
  const injected = renderSubject('{msg}', { ...fields, msg: 'x\r\nBcc: victim@example.com\r\n\r\nbody' })
  t.notMatch(injected, /[\r\n]/)
  t.equal(injected, 'x Bcc: victim@example.com body')
  t.notMatch(renderSubject('Alert\r\nX-Evil: 1 {name}', { ...fields, name: 'a\nb' }), /[\r\n]/)
  t.equal(renderSubject('{msg}', { ...fields, msg: 'y'.repeat(500) }).length, 200)
  t.equal(headerSafe('\u0000a\u0007\tb\u007f '), 'a b')
})

t.test('recordMessage: msg, else the error message, else nothing', async (t) => {
  t.equal(recordMessage(line({ msg: 'hi' })), 'hi')
  t.equal(recordMessage(line({ err: { message: 'boom' } })), 'boom')
  t.equal(recordMessage(line({})), '')
  t.equal(recordMessage('not json'), 'not json')
  t.equal(recordMessage('[1,2]'), '[1,2]')
})

t.test('one record: readable text with time, level, message, stack and fields; the raw line attached', async (t) => {
  const d = new Digest(100)
  const raw = line({
    msg: 'payment failed',
    err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at pay (app.js:1:1)' },
    orderId: 42,
  })
  d.add(raw, 'payment failed')
  const mail = formatMail(d, '[{level}] {name}: {msg}', 'fallback-host')
  t.equal(mail.subject, '[error] myapp: payment failed')
  t.match(mail.text, '1 record:')
  t.match(mail.text, '[2026-01-02T03:04:05.000Z] ERROR payment failed')
  t.match(mail.text, '    Error: boom\n        at pay (app.js:1:1)')
  t.match(mail.text, '{"orderId":42}')
  t.notMatch(mail.text, '"pid"')
  t.equal(mail.ndjson, `${raw}\n`)
})

t.test('a digest: the highest level in the subject, the first records in full, the rest summarised', async (t) => {
  const d = new Digest(2)
  d.add(line({ level: 40, msg: 'slow' }), 'slow')
  d.add(line({ level: 60, msg: 'down', err: { type: 'TypeError', message: 'no stack' } }), 'down')
  for (let i = 0; i < 9850; i++) d.add('x', 'db timeout')
  for (let i = 0; i < 50; i++) d.add('x', 'payment failed')
  for (let i = 0; i < 6; i++) d.add('x', `rare ${i}`)
  const mail = formatMail(d, '[{level}] {msg} x{count}', 'h')
  t.equal(mail.subject, '[fatal] slow x9908')
  t.match(mail.text, '9,908 records (the first 2 in full):')
  t.match(mail.text, '    TypeError: no stack')
  t.match(
    mail.text,
    "... and 9,906 more, 9,850 of them 'db timeout', 50 'payment failed', 1 'rare 0', 1 'rare 1', 1 'rare 2', 3 with other messages.",
  )
  t.equal(mail.ndjson.split('\n').length, 3)
})

t.test('records that are not pino JSON still make a readable mail', async (t) => {
  const d = new Digest(10)
  d.add('plain text line\n', 'plain text line')
  d.add('{"level":"error","time":"yesterday","msg":"labels"}', 'labels')
  d.add('{"level":50,"err":{"message":"no type, no stack"}}', 'no type, no stack')
  const mail = formatMail(d, '{level} {hostname} {name}', 'fallback-host')
  t.equal(mail.subject, 'error fallback-host (+2 more)')
  t.match(mail.text, '[-] - plain text line')
  t.match(mail.text, '[yesterday] error labels')
  t.match(mail.text, '[-] ERROR \n    Error: no type, no stack')
  const lone = new Digest(10)
  lone.add('plain text line\n', 'plain text line')
  t.equal(formatMail(lone, '[{level}] {msg}', 'h').subject, '[] plain text line', 'no level to tell')
  t.equal(
    mail.ndjson,
    'plain text line\n{"level":"error","time":"yesterday","msg":"labels"}\n{"level":50,"err":{"message":"no type, no stack"}}\n',
  )
})

t.test('records missing fields still render: no msg, no level, an err without stack or type', async (t) => {
  const d = new Digest(10)
  d.add(JSON.stringify({ time: 1, err: { message: 'bare' } }), 'bare')
  d.add(JSON.stringify({ level: 50, time: 1, msg: 'typed', err: { type: 'RangeError', message: 'out' } }), 'typed')
  const mail = formatMail(d, '{level}|{msg}', 'h')
  t.equal(mail.subject, 'error|bare (+1 more)')
  t.match(mail.text, '[1970-01-01T00:00:00.001Z] - \n    Error: bare')
  t.match(mail.text, '    RangeError: out')
  const levelless = new Digest(1)
  levelless.add('{"msg":"no level"}', 'no level')
  t.equal(formatMail(levelless, '[{level}]', 'h').subject, '[]')
})
