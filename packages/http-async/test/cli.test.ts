import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { cliIo as io } from '../../../test/helpers/cli-io.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { parseCliArgs, runCli, USAGE } from '../src/cli.ts'

t.test('arguments become options', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-'))
  writeFileSync(join(dir, 'ca.pem'), 'PEM')
  t.same(
    parseCliArgs([
      '--url',
      'http://x/log',
      '--max-batch-records=5',
      '--format',
      'ndjson',
      '--header',
      'X-Token: abc',
      '--header=X-Other:  two',
      '--credentials',
      'ann:pa:ss',
      '--ca',
      join(dir, 'ca.pem'),
      '--statsName',
      '42',
    ]),
    {
      url: 'http://x/log',
      maxBatchRecords: 5,
      format: 'ndjson',
      credentials: ['ann', 'pa:ss'],
      ca: 'PEM',
      statsName: '42',
      headers: { 'X-Token': 'abc', 'X-Other': 'two' },
    },
  )
  t.same(parseCliArgs(['--host', 'h:1', '--url', '/l', '--secure']), { host: 'h:1', url: '/l', secure: true })
  t.same(parseCliArgs(['--secure=false']), { secure: false })
  t.same(
    parseCliArgs(['--spool-max-bytes', '65536', '--spool-dir', '/var/spool/app']),
    { spool: { dir: '/var/spool/app', maxBytes: 65_536 } },
    'the spool flags build the spool option',
  )
  t.same(parseCliArgs(['--spool-max-bytes=lots']), { spool: { maxBytes: 'lots' } }, 'then rejected by validation')
  t.same(parseCliArgs(['--format']), { format: '' }, 'a flag without its value gives an empty one (then rejected)')
  t.throws(() => parseCliArgs(['--header', 'nocolon']), { message: /header: expected 'Name: value'/ })
  t.throws(() => parseCliArgs(['--credentials', 'secret-only']), { message: /credentials: expected USER:PASSWORD/ })
})

t.test('--help prints the usage', async (t) => {
  const { io: cli, out } = io()
  t.equal(await runCli(['--help'], cli), 0)
  t.equal(out.join(''), USAGE)
})

t.test('the usage lists the flags that are more than text', async (t) => {
  const flags = [
    '--header',
    '--spool-dir DIR',
    '--spool-max-bytes N',
    '--credentials USER:PASS',
    '--ca FILE',
    '--secure',
  ]
  t.same(
    flags.filter((flag) => !USAGE.includes(`  ${flag} `)),
    [],
  )
})

t.test('a usage error exits 2 and names the option', async (t) => {
  const { io: cli, err } = io()
  t.equal(await runCli(['--url', 'http://x/log', '--max-batch-record', '5'], cli), 2)
  t.match(err.join(''), /pino-http-async: maxBatchRecord: unknown option/)
  const missing = io()
  t.equal(await runCli([], missing.io), 2)
  t.match(missing.err.join(''), /url: required/)
})

t.test('stdin lines are delivered, then it exits', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const { io: cli } = io(['{"level":30,"msg":"a"}\n{"level":40,"msg":"b"}\n'])
  t.equal(await runCli(['--url', sink.url, '--flush-interval-ms', '10000'], cli), 0)
  t.same(
    sink.records.map((r) => r.msg),
    ['a', 'b'],
  )
})

t.test('the bin runs', async (t) => {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, bin, '--help'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  const code = await new Promise((resolve) => child.on('close', resolve))
  t.equal(code, 0)
  t.match(out, /usage: node app.js \| pino-http-async/)
})
