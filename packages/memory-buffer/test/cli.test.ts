import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parseCliArgs, runCli, USAGE } from '../src/cli.ts'

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const input = [
  '{"level":20,"msg":"a"}\n',
  '{"level":20,"msg":"b"}\n',
  '{"level":50,"msg":"c"}\n',
  '{"level":20,"msg":"d"}\n',
]

function io(lines: string[] = []) {
  let out = ''
  let err = ''
  return {
    io: {
      stdin: Readable.from(lines.map((l) => Buffer.from(l))),
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    },
    out: () => out,
    err: () => err,
  }
}

t.test('parseCliArgs: camelCase or kebab-case, = or a separate value, digits as numbers', async (t) => {
  t.same(parseCliArgs(['--capacity', '5', '--flush-level=warn', '--mode', 'ring', '--destination', '1']), {
    capacity: 5,
    flushLevel: 'warn',
    mode: 'ring',
    destination: 1,
  })
  t.same(parseCliArgs(['--flushLevel', '40', '--destination=/tmp/x.log', '--statsName', '7']), {
    flushLevel: 40,
    destination: '/tmp/x.log',
    statsName: '7',
  })
  t.same(parseCliArgs(['--capacity']), { capacity: '' }, 'a missing value is left for validation to reject')
})

t.test('runCli: --help prints usage; a bad option is a usage error (exit 2) naming it', async (t) => {
  const help = io()
  t.equal(await runCli(['--help'], help.io), 0)
  t.equal(help.out(), USAGE)
  const bad = io()
  t.equal(await runCli(['--capcity', '3'], bad.io), 2)
  t.match(bad.err(), /^pino-memory-buffer: capcity: unknown option \(did you mean capacity\?\)/)
  const ring = io()
  t.equal(await runCli(['--mode', 'ring', '--flush-interval-ms', '100'], ring.io), 2)
  t.match(ring.err(), /flushIntervalMs: received 100; expected 0/)
})

t.test('runCli: stdin to a destination file, released by the same rules', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'pa-mbc-')), 'out.log')
  const run = io(input)
  t.equal(await runCli(['--mode', 'ring', '--capacity', '2', '--destination', file], run.io), 0)
  t.equal(readFileSync(file, 'utf8'), input.slice(1).join(''), 'the ring before the error, then the rest at the end')
})

t.test('the bin: node app.js | pino-memory-buffer writes to stdout', async (t) => {
  const child = spawn(process.execPath, [bin, '--capacity', '3'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s))
  child.stdin.end(input.join(''))
  const code = await new Promise((resolve) => child.on('close', resolve))
  t.equal(code, 0)
  t.equal(out, input.join(''))
})
