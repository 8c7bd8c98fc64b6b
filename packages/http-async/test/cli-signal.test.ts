// Ctrl-C on `node app.js | pino-http-async ...`: the held records are delivered, then the
// command exits 130 (before, they were lost and nothing was said). --version works.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

t.test('SIGINT: what was read is delivered within closeTimeoutMs, then exit 130', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const args = [
    '--url',
    sink.url,
    '--max-batch-records',
    '3',
    '--flush-interval-ms',
    '60000',
    '--close-timeout-ms',
    '2000',
  ]
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'inherit', 'inherit'] })
  // One write, read in one chunk: a full batch of 3 goes at once (proof the command has them
  // all), the other 2 are held for a minute.
  child.stdin.write(Array.from({ length: 5 }, (_, i) => `{"level":30,"i":${i}}\n`).join(''))
  await sink.waitForRecords(3, 10_000)
  child.kill('SIGINT')
  const [code] = await once(child, 'exit')
  t.equal(code, 130)
  t.same(
    sink.records.map((r) => r.i),
    [0, 1, 2, 3, 4],
  )
})

t.test('--version prints the package version', async (t) => {
  const child = spawn(process.execPath, [bin, '--version'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d
  })
  const [code] = await once(child, 'exit')
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  t.same([code, out], [0, `${version}\n`])
})
