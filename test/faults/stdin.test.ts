// Malformed input on a bin's stdin, as a shell pipeline delivers it: non-JSON lines, empty
// lines, a 10 MB line, invalid UTF-8, an unterminated last line. No crash; each handled as
// documented and counted.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startHttpSink } from '../helpers/http-sink.ts'

const bin = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/dist/bin.js`, import.meta.url))

const INPUT = Buffer.concat([
  Buffer.from('{"level":30,"i":0}\nnot json at all\n\n\r\n'),
  Buffer.from(`{"level":30,"i":1,"big":"${'x'.repeat(10 * 2 ** 20)}"}\n`),
  Buffer.from('{"level":30,"i":2,"bad":"'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('"}\n{"level":50,"i":3}'),
])

function pipeInto(file: string, args: string[]) {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d
  })
  child.stdin.end(INPUT)
  return new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err })),
  )
}

t.test('pino-http-async: the valid records delivered, the rest dropped by reason and reported, exit 1', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const run = await pipeInto(bin('http-async'), ['--url', sink.url])
  // Records were dropped (counted and said on stderr): the command says so in its exit code too.
  t.equal(run.code, 1, run.stderr)
  t.same(
    sink.records.map((r) => r.i),
    [0, 2, 3],
    'the unterminated last line counts; invalid UTF-8 goes as it came',
  )
  t.match(run.stderr, /5 records received, 3 delivered, 2 not delivered \((?=.*not-json: 1)(?=.*record-too-large: 1)/)
})

t.test('pino-memory-buffer: every line passed on byte for byte, invalid UTF-8 and non-JSON included', async (t) => {
  const run = await pipeInto(bin('memory-buffer'), ['--capacity', '2'])
  t.equal(run.code, 0, run.stderr)
  // A line with no readable level counts as below the flush level; nothing is decoded.
  t.ok(run.stdout.equals(INPUT), 'the output is the input, byte for byte')
})
