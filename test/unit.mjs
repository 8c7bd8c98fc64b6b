// `pnpm test:unit`: the in-process tests, for the edit-test loop (under a minute on 2 cores),
// without coverage. Every test file is one unless listed below: those start child processes,
// worker threads (pino.transport), ClickHouse or a real server on loopback, and run only in
// the full `pnpm test` (CI). A new test file that does any of that goes in the list.
// Extra arguments go to tap (`pnpm test:unit --grep overflow`).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')

const FULL_SUITE_ONLY = new Set([
  // Child processes (runScript, spawn, execFile, the exit hand-off, the CLIs).
  'packages/get-logger/test/config-sources.test.ts',
  'packages/get-logger/test/console-stream.test.ts',
  'packages/get-logger/test/exit-handoff.test.ts',
  'packages/get-logger/test/exit-hang.test.ts',
  'packages/get-logger/test/exit-main.test.ts',
  'packages/get-logger/test/exit-worker.test.ts',
  'packages/get-logger/test/file-destination.test.ts',
  'packages/get-logger/test/flush.test.ts',
  'packages/get-logger/test/get-logger.test.ts',
  'packages/get-logger/test/handlers.test.ts',
  'packages/get-logger/test/matrix-main.test.ts',
  'packages/get-logger/test/matrix-queue.test.ts',
  'packages/get-logger/test/pino-options.test.ts',
  'packages/get-logger/test/python-handlers.test.ts',
  'packages/get-logger/test/queue-size.test.ts',
  'packages/get-logger/test/rotation-logger.test.ts',
  'packages/get-logger/test/signals.test.ts',
  'packages/get-logger/test/smtp.test.ts',
  'packages/get-logger/test/spool.test.ts',
  'packages/get-logger/test/start-failure.test.ts',
  'packages/get-logger/test/text-format.test.ts',
  'packages/http-async/test/cli-signal.test.ts',
  'packages/http-async/test/cli.test.ts',
  'packages/http-async/test/http.test.ts',
  'packages/http-async/test/spool-lock.test.ts',
  'packages/memory-buffer/test/cli.test.ts',
  'packages/memory-buffer/test/main-thread.test.ts',
  'packages/memory-buffer/test/no-destination.test.ts',
  'packages/memory-buffer/test/transport.test.ts',
  'packages/smtp-async/test/cli.test.ts',
  'packages/smtp-async/test/mailer.test.ts',
  'test/consumer.test.ts',
  'test/faults/spool-kill.test.ts',
  'test/faults/stdin.test.ts',
  'test/faults/stdout.test.ts',
  'test/faults/worker.test.ts',
  'test/latency.test.ts',
  'test/packaging.test.ts',
  // Worker threads (pino.transport, getLogger's worker, the built dist/).
  'packages/core/test/flush.test.ts',
  'packages/core/test/stats.test.ts',
  'packages/get-logger/test/stats.test.ts',
  'packages/get-logger/test/worker-errors.test.ts',
  'packages/http-async/test/flush.test.ts',
  'packages/http-async/test/worker.test.ts',
  'packages/memory-buffer/test/worker.test.ts',
  'packages/smtp-async/test/worker.test.ts',
  'test/composition.test.ts',
  'test/custom-levels.test.ts',
  'test/start-error.test.ts',
  // ClickHouse itself.
  'packages/http-async/test/clickhouse.test.ts',
  // Real HTTP and SMTP servers on loopback (test/helpers' sinks): end to end over sockets,
  // some with seconds of real deadlines, retries and TLS (port 465).
  'packages/http-async/test/elasticsearch.test.ts',
  'packages/http-async/test/form.test.ts',
  'packages/http-async/test/loki.test.ts',
  'packages/http-async/test/otlp-delivery.test.ts',
  'packages/http-async/test/otlp-mapping.test.ts',
  'packages/http-async/test/sender.test.ts',
  'packages/http-async/test/spool.test.ts',
  'packages/http-async/test/unsent.test.ts',
  'packages/smtp-async/test/secure-tuple.test.ts',
  'packages/smtp-async/test/smtp.test.ts',
  'packages/smtp-async/test/unsent.test.ts',
  'test/faults/http.test.ts',
  'test/faults/smtp.test.ts',
])

const testDirs = [...readdirSync(join(root, 'packages')).map((name) => join('packages', name, 'test')), 'test']
const files = testDirs
  .flatMap((dir) => readdirSync(join(root, dir), { recursive: true }).map((file) => join(dir, String(file))))
  .filter((file) => file.endsWith('.test.ts') && !/[/\\](fixtures|helpers)[/\\]/.test(file))
  .map((file) => file.split('\\').join('/'))
  .filter((file) => !FULL_SUITE_ONLY.has(file))
  .sort()

const require = createRequire(import.meta.url)
const tapPackage = require.resolve('tap/package.json')
const tap = join(dirname(tapPackage), require(tapPackage).bin.tap)
process.stderr.write(`test:unit: ${files.length} in-process test files (${relative(root, import.meta.filename)})\n`)
const run = spawnSync(process.execPath, [tap, '--disable-coverage', ...process.argv.slice(2), ...files], {
  cwd: root,
  stdio: 'inherit',
})
process.exit(run.status ?? 1)
