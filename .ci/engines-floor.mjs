// Run by .ci/run with the lowest Node the packages support (engines: >=20.18.1): every package
// imports, and a record goes through getLogger (pino's worker, http-async) to a local endpoint,
// delivered by flush(). Exits non-zero on any failure.
import { once } from 'node:events'
import { createServer } from 'node:http'

for (const name of ['core', 'memory-buffer', 'http-async', 'smtp-async', 'get-logger']) {
  await import(new URL(`../packages/${name}/dist/index.js`, import.meta.url).href)
}
const { flush, getLogger, shutdown } = await import(
  new URL('../packages/get-logger/dist/index.js', import.meta.url).href
)
let received = 0
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (d) => {
    body += d
  })
  req.on('end', () => {
    received += JSON.parse(body).length
    res.end()
  })
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const logger = getLogger({
  name: 'floor',
  console: false,
  use_queue: true,
  http_handler: { url: `http://127.0.0.1:${server.address().port}/log`, flushIntervalMs: 60_000 },
})
logger.info('on the lowest supported Node')
const { complete } = await flush({ timeoutMs: 5000 })
await shutdown()
server.close()
if (!complete || received !== 1) {
  process.stderr.write(`engines floor ${process.version}: complete ${complete}, ${received} of 1 record delivered\n`)
  process.exit(1)
}
process.stdout.write(`engines floor ${process.version}: every package imports, getLogger delivers\n`)
