// The worker thread dying (a destination that throws): the application keeps running, the
// failure is reported on stderr, and getStats says so.
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { runScript, tempDir } from '../helpers/child.ts'

const registryModule = new URL('../../packages/get-logger/dist/get-logger.js', import.meta.url).href
const kitsModule = new URL('../../packages/get-logger/dist/kits.js', import.meta.url).href
const exploding = fileURLToPath(new URL('./fixtures/exploding-target.mjs', import.meta.url))

t.test('a destination that kills the worker: the application goes on, stderr and getStats say so', async (t) => {
  const file = `${tempDir()}/app.log`
  const out = await runScript(
    `
import { LoggerRegistry } from ${JSON.stringify(registryModule)}
import { DEFAULT_KITS } from ${JSON.stringify(kitsModule)}
// The HTTP handler's transport replaced by one that throws in the worker.
const registry = new LoggerRegistry({ ...DEFAULT_KITS, http: { ...DEFAULT_KITS.http, target: ${JSON.stringify(exploding)} } })
const logger = registry.getLogger({ name: 'app', file: ${JSON.stringify(file)}, use_queue: true,
  http_handler: { url: 'http://127.0.0.1:9/log' } })
for (let i = 0; i < 5; i++) logger.info({ i }, 'before')
// Once the file has published its counts, a record that makes the HTTP destination throw.
while (!registry.getStats().app?.file) await new Promise((r) => setTimeout(r, 20))
logger.info({ explode: true }, 'boom')
const started = Date.now()
while (!registry.getStats().app?.worker && Date.now() - started < 10000) {
  logger.info('after')
  await new Promise((r) => setTimeout(r, 20))
}
for (let i = 0; i < 3; i++) logger.info({ i }, 'more')
console.log(JSON.stringify(registry.getStats().app))
await registry.shutdown()
console.log('still running')
`,
    { timeoutMs: 30_000 },
  )
  t.equal(out.code, 0, out.stderr)
  t.match(out.stderr, /pino-advanced\/get-logger: the worker thread failed: .*; its records are dropped from now on/)
  t.equal(out.stderr.match(/the worker thread failed/g)?.length, 1, 'reported once, not once per record')
  const lines = out.stdout.trim().split('\n')
  t.equal(lines.at(-1), 'still running')
  const stats = JSON.parse(lines.at(-2) as string)
  t.match(stats.worker, { destination: 'worker', delivered: 0, buffered: 0 })
  t.ok(stats.worker.received >= 4, 'the records written after it died are counted')
  t.equal(stats.worker.dropped['worker-failed'], stats.worker.received)
  t.match(
    stats.file,
    { received: 5, delivered: 5, buffered: 0, dropped: { 'worker-failed': 0 } },
    'it died with the worker, holding nothing',
  )
})
