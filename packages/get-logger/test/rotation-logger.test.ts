// rotating_file and timed_rotating_file through getLogger, on the main thread and in the worker:
// every record once, in order, none split, across many rotations.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, runScript, tempDir } from '../../../test/helpers/child.ts'
import { resolveLoggerOptions } from '../src/resolve-options.ts'

const RECORDS = 2000

for (const useQueue of [false, true]) {
  t.test(`rotating_file (use_queue ${useQueue}): Python's names, no record lost, split or doubled`, async (t) => {
    const dir = tempDir()
    const filename = join(dir, 'logs', 'app.log')
    const run = await runScript(`
      import { getLogger, getStats, shutdown } from ${JSON.stringify(pkg('get-logger'))}
      const logger = getLogger({
        name: 'rolled', console: false, use_queue: ${useQueue},
        rotating_file: { filename: ${JSON.stringify(filename)}, max_bytes: 8192, backup_count: 1000 },
      })
      for (let i = 0; i < ${RECORDS}; i++) logger.info({ i, pad: 'x'.repeat(i % 50) }, 'record')
      await shutdown()
      console.log(JSON.stringify(getStats().rolled.rotating_file))
    `)
    t.equal(run.code, 0, run.stderr)
    const names = readdirSync(join(dir, 'logs'))
    const rank = (n: string) => (n === 'app.log' ? 0 : Number(n.slice('app.log.'.length)))
    const ordered = names.sort((a, b) => rank(b) - rank(a))
    const problems: string[] = []
    const seen: number[] = []
    for (const name of ordered) {
      const text = readFileSync(join(dir, 'logs', name), 'utf8')
      if (text.length >= 8192) problems.push(`${name}: ${text.length} bytes`)
      for (const line of text.split('\n').slice(0, -1)) {
        try {
          seen.push(JSON.parse(line).i)
        } catch {
          problems.push(`${name}: a split line`)
        }
      }
    }
    t.ok(ordered.length > 10, `rotated many times (${ordered.length} files)`)
    t.same(problems, [])
    t.same(
      seen,
      Array.from({ length: RECORDS }, (_, i) => i),
      'every record once, in order',
    )
    t.match(JSON.parse(run.stdout), { received: RECORDS, delivered: RECORDS, dropped: {} })
  })

  t.test(`timed_rotating_file (use_queue ${useQueue}): rotates each second, named by it`, async (t) => {
    const dir = tempDir()
    const filename = join(dir, 'app.log')
    // Logs until a rotated file is there (bounded), then once more: nothing sleeps for a guess.
    const run = await runScript(`
      import { readdirSync } from 'node:fs'
      import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
      const logger = getLogger({
        name: 'timed', console: false, use_queue: ${useQueue},
        timed_rotating_file: { filename: ${JSON.stringify(filename)}, when: 's', interval: 1, backup_count: 5, utc: true },
      })
      let i = 0
      const deadline = Date.now() + 10_000
      const rotated = () => readdirSync(${JSON.stringify(dir)}).length > 1
      while (!rotated() && Date.now() < deadline) {
        logger.info({ i: i++ }, 'tick')
        await new Promise((r) => setTimeout(r, 20))
      }
      logger.info({ i: i++ }, 'after')
      await shutdown()
      console.log(i)
    `)
    t.equal(run.code, 0, run.stderr)
    const names = readdirSync(dir).sort()
    const rotated = names.filter((n) => n !== 'app.log')
    t.ok(
      rotated.length >= 1 && rotated.every((n) => /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/.test(n)),
      names.join(' '),
    )
    const all = [...rotated, 'app.log'].flatMap((n) =>
      readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l).i),
    )
    t.same(
      all,
      Array.from({ length: Number(run.stdout) }, (_, i) => i),
      'every record once, in order',
    )
  })
}

t.test('rotation options: Python names and values, mistakes named', async (t) => {
  const o = resolveLoggerOptions({
    timed_rotating_file: { filename: 'app.log', when: 'MIDNIGHT' },
    rotatingFile: { filename: '/var/log/app.log', max_bytes: 1024, backup_count: 3 },
  })
  t.match(o.timedRotatingFile, {
    policy: { kind: 'time', schedule: { when: 'midnight', interval: 1, utc: false }, backupCount: 0 },
  })
  t.same(o.rotatingFile, { filename: '/var/log/app.log', policy: { kind: 'size', maxBytes: 1024, backupCount: 3 } })
  t.equal(resolveLoggerOptions({ timed_rotating_file: { filename: 'a' } }).timedRotatingFile?.policy.kind, 'time')
  const cases: [unknown, string, RegExp][] = [
    [{ rotating_file: { filename: 'a', max_bytes: -1 } }, 'rotating_file.max_bytes', /an integer from 0/],
    [{ rotating_file: { max_bytes: 1 } }, 'rotating_file.filename', /a file path/],
    [{ rotating_file: { filename: 'a', maxBytes: 1 } }, 'rotating_file.maxBytes', /unknown/i],
    [
      { timed_rotating_file: { filename: 'a', when: 'X' } },
      'timed_rotating_file.when',
      /expected one of 'S', 'M', 'H', 'D', 'midnight', 'W0'/,
    ],
    [{ timed_rotating_file: { filename: 'a', when: 3 } }, 'timed_rotating_file.when', /received 3/],
    [{ timed_rotating_file: { filename: 'a', interval: 0 } }, 'timed_rotating_file.interval', /from 1/],
  ]
  const problems: string[] = []
  for (const [input, option, message] of cases) {
    try {
      resolveLoggerOptions(input)
      problems.push(`${option}: accepted`)
    } catch (err) {
      const e = err as { option?: string; message: string }
      if (e.option !== option || !message.test(e.message)) problems.push(`${option}: ${e.option}: ${e.message}`)
    }
  }
  t.same(problems, [])
})

t.test("a rotating file's path that cannot be a log file fails in getLogger, naming the option", async (t) => {
  const { LoggerRegistry } = await import('../src/get-logger.ts')
  const registry = new LoggerRegistry()
  const underFile = join(tempDir(), 'plain')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(underFile, '')
  const problems: string[] = []
  for (const key of ['rotating_file', 'timed_rotating_file']) {
    try {
      registry.getLogger({ name: key, console: false, [key]: { filename: join(underFile, 'app.log') } })
      problems.push(`${key}: accepted`)
    } catch (err) {
      const e = err as { option?: string; message: string }
      if (e.option !== `${key}.filename` || !/a part of its path is a file/.test(e.message)) problems.push(e.message)
    }
  }
  t.same(problems, [])
})
