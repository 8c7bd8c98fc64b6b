// The spool's files are the application's user's alone, and a stale lock found by several
// processes at once is taken over by exactly one of them.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { acquireSpoolLock } from '../src/spool/lock.ts'
import { createHttpAsync } from '../src/transport.ts'

t.test('the spool directory is 0700 and every file in it 0600', async (t) => {
  const sink = await startHttpSink({ defaultStatus: 503 })
  t.teardown(() => sink.close())
  const dir = join(tempDir(), 'spool')
  const stream = await createHttpAsync(
    { url: sink.url, spool: { dir }, closeTimeoutMs: 200, retryBaseDelayMs: 10 },
    { writeDiagnostic: () => {} },
  )
  stream.write('{"level":30,"i":1}\n')
  const files = readdirSync(dir)
  const modes = Object.fromEntries(
    [['.', dir], ...files.map((f) => [f, join(dir, f)])].map(([name, path]) => [
      name,
      (statSync(path as string).mode & 0o777).toString(8),
    ]),
  )
  stream.end()
  await once(stream, 'close')
  t.ok(files.includes('lock') && files.some((f) => f !== 'lock'), `a lock and segment files: ${files.join(', ')}`)
  t.same(modes, Object.fromEntries([['.', '700'], ...files.map((f) => [f, '600'])]))
})

/** A pid that is certainly gone: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await once(child, 'exit')
  return child.pid as number
}

// Each child takes the lock (or is refused), says which, and stays alive until its stdin ends
// (once every child has spoken) so that the others see a live owner. A fixed hold (400 ms) was
// not enough on a loaded machine: a child that started later found the first owner gone, and
// a dead owner's lock is rightly taken over.
const TAKER = `
import { acquireSpoolLock } from ${JSON.stringify(new URL('../dist/spool/lock.js', import.meta.url).href)}
try {
  acquireSpoolLock(process.argv[1], 'spool.dir')
  process.stdout.write('got')
} catch (err) {
  process.stdout.write(err.code)
}
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
`

t.test('a stale lock found by four processes at once: exactly one takes it, every time', async (t) => {
  const outcomes: string[] = []
  for (let trial = 0; trial < 8; trial++) {
    const dir = tempDir()
    writeFileSync(join(dir, 'lock'), String(await deadPid()))
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', TAKER, dir], { stdio: ['pipe', 'pipe', 'inherit'] }),
    )
    const said = await Promise.all(
      children.map(async (child) => {
        const [first] = (await once(child.stdout, 'data')) as [Buffer]
        return first.toString()
      }),
    )
    for (const child of children) child.stdin.end()
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)))
    outcomes.push(said.sort().join(' '))
  }
  t.same(new Set(outcomes), new Set(['PA_SPOOL_IN_USE PA_SPOOL_IN_USE PA_SPOOL_IN_USE got']))
})

t.test('a take-over guard left by a killed process is cleared', async (t) => {
  const dir = tempDir()
  writeFileSync(join(dir, 'lock'), String(await deadPid()))
  writeFileSync(join(dir, 'lock.takeover'), String(await deadPid()))
  const release = acquireSpoolLock(dir, 'spool.dir')
  t.same(readdirSync(dir).sort(), ['lock'])
  release()
})

t.test(
  'a take-over that never ends (its process alive, holding the guard) is refused after about a second',
  async (t) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'lock'), String(await deadPid()))
    // pid 1 is always alive.
    writeFileSync(join(dir, 'lock.takeover'), '1')
    t.throws(() => acquireSpoolLock(dir, 'spool.dir'), {
      name: 'SpoolInUseError',
      owner: 1,
      message: /^spool\.dir: .* is being taken over by process 1; give each transport/,
    })
    t.same(readdirSync(dir).sort(), ['lock', 'lock.takeover'], 'nothing of its own left behind')
  },
)

t.test('a lock that is not a file (a directory in its place) is an error, not taken over', async (t) => {
  const dir = tempDir()
  mkdirSync(join(dir, 'lock'))
  t.throws(() => acquireSpoolLock(dir, 'spool.dir'))
  t.same(readdirSync(dir).sort(), ['lock'], 'nothing of its own left behind')
})
