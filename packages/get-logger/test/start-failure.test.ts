// A destination that cannot start (its spool directory held by a live process: pid 1 always
// is) loses no record uncounted, wherever it runs, and the exit path says so in one line.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { pkg, runScript, tempDir } from '../../../test/helpers/child.ts'
import { until } from '../../../test/helpers/until.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

/** A spool directory whose lock belongs to a live process that is not this one. */
function heldSpool(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'lock'), '1')
  return dir
}

const quietStderr = (t: Test) => {
  const write = process.stderr.write
  const lines: string[] = []
  process.stderr.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stderr.write
  t.teardown(() => {
    process.stderr.write = write
  })
  return lines
}

for (const placement of ['async: false (main thread)', 'use_queue (worker)'] as const) {
  t.test(`${placement}: every record given to a handler that cannot start is counted dropped`, async (t) => {
    const stderr = quietStderr(t)
    const registry = new LoggerRegistry()
    const worker = placement.startsWith('use_queue')
    const logger = registry.getLogger({
      name: 'start',
      console: false,
      use_queue: worker,
      http_handler: { url: 'http://127.0.0.1:9/x', async: worker, spool: { dir: heldSpool() } },
    })
    for (let i = 0; i < 20; i++) logger.info({ i })
    const lost = () => {
      const stats = registry.getStats().start ?? {}
      return worker ? stats.worker : stats['http-async']
    }
    await until(() => lost()?.received === 20, 'the 20 records counted')
    logger.info({ i: 20 })
    await until(() => lost()?.received === 21, 'a later record counted too')
    const reason = worker ? 'worker-failed' : 'start-failed'
    t.match(lost(), { received: 21, delivered: 0, dropped: { [reason]: 21 }, buffered: 0 })
    t.match(stderr.join(''), /in use by process 1/, 'the cause is said on stderr')
    await registry.shutdown()
  })
}

t.test('the records of a handler that cannot start are counted under its statsName', async (t) => {
  quietStderr(t)
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'named',
    console: false,
    http_handler: { url: 'http://127.0.0.1:9/x', async: false, statsName: 'ingest', spool: { dir: heldSpool() } },
  })
  logger.info({ i: 0 })
  await until(() => registry.getStats().named?.ingest?.received === 1, 'the record counted under ingest')
  t.match(registry.getStats().named, { ingest: { dropped: { 'start-failed': 1 } } })
  await registry.shutdown()
})

t.test(
  'process.exit() right after logging to a handler that cannot start: one line on stderr, no stack trace',
  async (t) => {
    const out = await runScript(
      `
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'start', console: false,
  http_handler: { url: 'http://127.0.0.1:9/x', async: false, spool: { dir: ${JSON.stringify(heldSpool())} } } })
for (let i = 0; i < 10; i++) logger.info({ i })
process.exit(0)
`,
      { timeoutMs: 20_000 },
    )
    t.notOk(out.timedOut)
    t.equal(out.code, 0, out.stderr)
    t.match(out.stderr, /exit: 10 record\(s\) could not be delivered: spool\.dir: .* in use by process 1/)
    t.notMatch(out.stderr, /\n\s+at /, 'no stack trace')
  },
)
