import t from 'tap'
import { pkg, runScript } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

t.test('documented: the async HTTP handler (host + url + method POST, async)', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'myapp',
    console: false,
    http_handler: { host: `localhost:${sink.port}`, url: '/log', method: 'POST', async: true },
  })
  logger.critical('This message is sent via email and HTTP asynchronously.')
  // A lone record goes out within flushIntervalMs. (Wait before shutdown: pino's worker close
  // blocks this thread, where the test's sink runs.)
  await sink.waitForRecords(1, 10_000)
  await registry.shutdown()
  t.match(sink.records, [{ level: 60, name: 'myapp', msg: 'This message is sent via email and HTTP asynchronously.' }])
  t.equal(sink.requests[0]?.method, 'POST')
  t.equal(sink.requests[0]?.url, '/log')
})

for (const async of [true, false]) {
  t.test(`HTTP handler async: ${async}: its level applies, records arrive in order, stats are kept`, async (t) => {
    const sink = await startHttpSink()
    t.teardown(() => sink.close())
    const registry = new LoggerRegistry()
    const logger = registry.getLogger({
      name: `http-${async}`,
      console: false,
      level: 'debug',
      http_handler: { url: sink.url, async, level: 'warn', flushIntervalMs: 20 },
    })
    logger.info('below the handler level')
    for (let i = 0; i < 20; i++) logger.warn({ i }, 'sent')
    await sink.waitForRecords(20, 10_000)
    const stats = await new Promise<Record<string, unknown>>((resolve) => {
      const poll = setInterval(() => {
        const s = registry.getStats()[`http-${async}`]?.['http-async']
        if (s && (s as { delivered: number }).delivered === 20) {
          clearInterval(poll)
          resolve(s as unknown as Record<string, unknown>)
        }
      }, 20)
    })
    t.match(stats, { received: 20, delivered: 20, buffered: 0 })
    await registry.shutdown()
    t.same(
      sink.records.map((r) => r.i),
      Array.from({ length: 20 }, (_, i) => i),
    )
  })
}

t.test('use_queue + memory buffer + HTTP: the buffer is a pipeline stage in front of the handler', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'pipeline',
    console: false,
    level: 'debug',
    use_queue: true,
    use_memory_handler: true,
    memory_capacity: 100,
    http_handler: { url: sink.url, flushIntervalMs: 20 },
  })
  logger.debug('held')
  logger.info('held too')
  logger.error('releases')
  await sink.waitForRecords(3, 10_000)
  t.same(
    sink.records.map((r) => r.msg),
    ['held', 'held too', 'releases'],
  )
  await registry.shutdown()
})

t.test('a main-thread handler behind a memory buffer: held until the flush level, then sent', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'main-buffered',
    console: false,
    use_memory_handler: true,
    http_handler: { url: sink.url, async: false, flushIntervalMs: 10 },
  })
  logger.info('held')
  logger.error('releases')
  await sink.waitForRecords(2, 10_000)
  t.same(
    sink.records.map((r) => r.msg),
    ['held', 'releases'],
  )
  await registry.shutdown()
})

for (const async of [true, false]) {
  const ending = async ? 'process.exit()' : 'the natural end'
  t.test(`HTTP handler async: ${async}: records logged right before ${ending} arrive`, async (t) => {
    const sink = await startHttpSink()
    t.teardown(() => sink.close())
    const out = await runScript(`
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'exit', console: false, http_handler: { url: ${JSON.stringify(sink.url)}, async: ${async} } })
for (let i = 0; i < 10; i++) logger.info({ i }, 'last words')
${async ? 'process.exit(0)' : ''}
`)
    t.equal(out.code, 0, out.stderr)
    t.same(
      sink.records.map((r) => r.i),
      Array.from({ length: 10 }, (_, i) => i),
    )
  })
}

t.test('bad handler options fail in getLogger, before any worker starts', async (t) => {
  const registry = new LoggerRegistry()
  t.throws(() => registry.getLogger({ name: 'bad', http_handler: { url: 'not a url', async: true } }), {
    name: 'ConfigError',
    option: /^http_handler\./,
  })
  t.throws(() => registry.getLogger({ name: 'bad', http_handler: { url: 'http://x/', maxBatchRecord: 5 } }), {
    name: 'ConfigError',
    code: 'PA_UNKNOWN_OPTION',
  })
  t.same(registry.getStats(), {})
})
