import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { cliIo as io } from '../../../test/helpers/cli-io.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { parseCliArgs, runCli, USAGE } from '../src/cli.ts'

t.test('arguments become options', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-'))
  writeFileSync(join(dir, 'ca.pem'), 'PEM')
  t.same(
    parseCliArgs([
      '--mailhost',
      'smtp.example.com:587',
      '--toaddrs=a@x.test,b@x.test',
      '--secure',
      '--credentials',
      'ann:pa:ss',
      '--ca',
      join(dir, 'ca.pem'),
      '--group-interval-ms',
      '500',
      '--level',
      'warn',
    ]),
    {
      mailhost: 'smtp.example.com:587',
      toaddrs: 'a@x.test,b@x.test',
      secure: true,
      credentials: ['ann', 'pa:ss'],
      ca: 'PEM',
      groupIntervalMs: 500,
      level: 'warn',
    },
  )
})

t.test('--help, and usage errors that never echo the password', async (t) => {
  const help = io()
  t.equal(await runCli(['-h'], help.io), 0)
  t.same(help.out, [USAGE])
  const missing = io()
  t.equal(await runCli(['--mailhost', 'h', '--fromaddr', 'a@x.test'], missing.io), 2)
  t.match(missing.err[0], /^pino-smtp-async: toaddrs: required/)
  const bad = io()
  t.equal(await runCli(['--credentials', 'hunter22'], bad.io), 2)
  t.match(bad.err[0], 'credentials: expected USER:PASSWORD')
  t.notMatch(bad.err[0], 'hunter22')
})

t.test('lines piped in are mailed; the pending digest goes at the end of the input', async (t) => {
  const smtp = await startSmtpSink()
  t.teardown(() => smtp.close())
  const lines = ['info', 'first', 'second', 'third'].map(
    (msg, i) => `${JSON.stringify({ level: i === 0 ? 30 : 50, time: 1, msg })}\n`,
  )
  const run = io(lines)
  const args = ['--mailhost', `127.0.0.1:${smtp.port}`, '--fromaddr', 'a@x.test', '--toaddrs', 'b@x.test']
  t.equal(await runCli(args, run.io), 0)
  await smtp.waitForMessages(2, 10_000)
  t.same(
    smtp.messages.map((m) => m.subject),
    ['[error] first', '[error] second (+1 more)'],
  )
})

t.test('the bin, as a shell pipeline would run it', async (t) => {
  const smtp = await startSmtpSink()
  t.teardown(() => smtp.close())
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
  const child = spawn(process.execPath, [
    bin,
    '--mailhost',
    `127.0.0.1:${smtp.port}`,
    '--fromaddr',
    'a@x.test',
    '--toaddrs',
    'b@x.test',
    '--subject',
    'Log Alert',
  ])
  child.stdin.end(`${JSON.stringify({ level: 60, time: 1, msg: 'from the shell' })}\n`)
  const [code] = await once(child, 'close')
  t.equal(code, 0)
  const [mail] = await smtp.waitForMessages(1, 10_000)
  t.equal(mail?.subject, 'Log Alert')
  t.match(mail?.text, 'FATAL from the shell')
})
