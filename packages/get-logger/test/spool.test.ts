// getLogger with http-async's durable spool: what a process could not deliver before it ended
// (the endpoint down) stays on disk and the next process delivers it first, whether the
// handler ran on the application's thread (the exit handoff passes the spool on) or in a worker.
import t from 'tap'
import { pkg, runScript, tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'

for (const async of [false, true]) {
  t.test(
    `http_handler with a spool (async: ${async}): the next process delivers what this one could not`,
    async (t) => {
      const sink = await startHttpSink()
      t.teardown(() => sink.close())
      await sink.down()
      const options = {
        name: 'spooled',
        console: false,
        http_handler: {
          url: sink.url,
          async,
          closeTimeoutMs: 300,
          retryBaseDelayMs: 20,
          flushIntervalMs: 0,
          spool: { dir: tempDir() },
        },
      }
      const app = (from: number, to: number, end: string) => `
import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger(${JSON.stringify(options)})
for (let i = ${from}; i < ${to}; i++) logger.info({ i }, 'spooled')
${end}
`
      const first = await runScript(app(0, 20, 'process.exit(0)'), { timeoutMs: 30_000 })
      t.equal(first.code, 0, first.stderr)
      t.match(first.stderr, /kept in the spool .* for the next start/, 'the first process says where its records are')
      t.equal(sink.records.length, 0)
      await sink.up()
      const second = await runScript(app(20, 25, 'await shutdown()'), { timeoutMs: 30_000 })
      t.equal(second.code, 0, second.stderr)
      t.same(
        sink.records.map((r) => r.i),
        Array.from({ length: 25 }, (_, i) => i),
        'what was left first, then the new records',
      )
    },
  )
}
