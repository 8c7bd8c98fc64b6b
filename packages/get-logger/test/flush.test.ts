// flush(): every record logged before it is delivered when it resolves, wherever each
// destination runs (pino's worker with use_queue or async handlers, or the main thread), with or
// without a memory buffer in front; the loggers stay open. Worker targets load from dist: run
// `pnpm build` first.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { type HttpSink, startHttpSink } from '../../../test/helpers/http-sink.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { type AdvancedLogger, LoggerRegistry } from '../src/get-logger.ts'
import { flush, getLogger, getStats, shutdown } from '../src/index.ts'

/** Where the HTTP handler runs: pino's worker (use_queue, or async: true, the default) or here. */
const PLACEMENTS = [
  { name: 'use_queue', logger: { use_queue: true }, handler: {} },
  { name: 'worker (async: true)', logger: {}, handler: {} },
  { name: 'main thread (async: false)', logger: {}, handler: { async: false } },
].flatMap((placement) =>
  [false, true].map((memory) => ({
    ...placement,
    name: `${placement.name}${memory ? ', memory buffer' : ''}`,
    logger: { ...placement.logger, use_memory_handler: memory },
  })),
)

type Placement = (typeof PLACEMENTS)[number]

/** A logger of its own registry, over HTTP to `sink` only: partial batches wait a minute. */
function httpLogger(placement: Placement, sink: HttpSink, handler: Record<string, unknown> = {}) {
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'flush',
    console: false,
    ...placement.logger,
    http_handler: { url: sink.url, flushIntervalMs: 60_000, closeTimeoutMs: 500, ...placement.handler, ...handler },
  })
  return { registry, logger }
}

const ids = (sink: HttpSink) => sink.records.map((r) => r.i)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
const log = (logger: AdvancedLogger, from: number, to: number) => {
  for (let i = from; i < to; i++) logger.info({ i }, 'flushed')
}

t.test('flush() resolves complete once the sink holds every record logged before; the logger goes on', async (t) => {
  const violations: string[] = []
  const took: string[] = []
  for (const placement of PLACEMENTS) {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    const { registry, logger } = httpLogger(placement, sink)
    log(logger, 0, 20)
    let started = Date.now()
    const first = await registry.flush()
    took.push(`${placement.name}: ${Date.now() - started} ms`)
    if (!first.complete) violations.push(`${placement.name}: first flush not complete`)
    if (JSON.stringify(ids(sink)) !== JSON.stringify(range(0, 20))) {
      violations.push(`${placement.name}: after the first flush the sink held ${JSON.stringify(ids(sink))}`)
    }
    const http = first.stats.flush?.['http-async']
    if (http?.delivered !== 20 || http.buffered !== 0) {
      violations.push(`${placement.name}: first flush's http-async stats ${JSON.stringify(http)}`)
    }
    const buffer = first.stats.flush?.['memory-buffer:http']
    if (placement.logger.use_memory_handler && (buffer?.delivered !== 20 || buffer.buffered !== 0)) {
      violations.push(`${placement.name}: first flush's memory buffer stats ${JSON.stringify(buffer)}`)
    }
    log(logger, 20, 30)
    started = Date.now()
    const second = await registry.flush({ timeoutMs: 2000 })
    took.push(`${placement.name}, again: ${Date.now() - started} ms`)
    if (!second.complete) violations.push(`${placement.name}: second flush not complete`)
    if (JSON.stringify(ids(sink)) !== JSON.stringify(range(0, 30))) {
      violations.push(`${placement.name}: after the second flush the sink held ${JSON.stringify(ids(sink))}`)
    }
    await registry.shutdown()
    await sink.close()
  }
  t.comment(took.join('; '))
  t.same(violations, [])
})

t.test('logger.flush(cb) and a child logger’s flush call back only once the records were delivered', async (t) => {
  const violations: string[] = []
  for (const placement of PLACEMENTS) {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    const { registry, logger } = httpLogger(placement, sink)
    log(logger, 0, 5)
    await new Promise<void>((resolve) =>
      logger.flush(() => {
        if (sink.records.length !== 5) violations.push(`${placement.name}: logger.flush: ${sink.records.length} of 5`)
        resolve()
      }),
    )
    const child = logger.child({ child: true })
    log(child, 5, 10)
    await new Promise<void>((resolve) =>
      child.flush(() => {
        if (JSON.stringify(ids(sink)) !== JSON.stringify(range(0, 10))) {
          violations.push(`${placement.name}: child.flush: the sink held ${JSON.stringify(ids(sink))}`)
        }
        if (sink.records.at(-1)?.child !== true) violations.push(`${placement.name}: not the child's records`)
        resolve()
      }),
    )
    // Without a callback: flushes all the same.
    log(logger, 10, 11)
    logger.flush()
    await registry.flush()
    if (sink.records.length !== 11) violations.push(`${placement.name}: ${sink.records.length} of 11`)
    await registry.shutdown()
    await sink.close()
  }
  t.same(violations, [])
})

t.test('flush({ timeoutMs: 300 }) against a sink that keeps failing: complete false within the bound', async (t) => {
  const violations: string[] = []
  const took: string[] = []
  const open: { registry: LoggerRegistry; sink: HttpSink }[] = []
  for (const placement of PLACEMENTS) {
    const sink = await startHttpSink({ defaultStatus: 503 })
    // The close deadline lies past the bound: a flush bounded by it instead of timeoutMs fails.
    const { registry, logger } = httpLogger(placement, sink, { retryBaseDelayMs: 20, closeTimeoutMs: 2500 })
    open.push({ registry, sink })
    // Nothing to deliver yet: this one only waits for a worker to be up.
    await registry.flush({ timeoutMs: 2000 })
    log(logger, 0, 10)
    const started = Date.now()
    const result = await registry.flush({ timeoutMs: 300 }).catch((err: Error) => err)
    const ms = Date.now() - started
    took.push(`${placement.name}: ${ms} ms`)
    if (result instanceof Error) violations.push(`${placement.name}: rejected: ${result.message}`)
    else {
      if (result.complete) violations.push(`${placement.name}: complete`)
      // Still held (retrying), not lost.
      const http = result.stats.flush?.['http-async']
      if (http?.received !== 10 || http.buffered !== 10) {
        violations.push(`${placement.name}: http-async stats ${JSON.stringify(http)}`)
      }
    }
    if (ms >= 300 + 2000) violations.push(`${placement.name}: took ${ms} ms`)
  }
  t.comment(took.join('; '))
  t.same(violations, [])
  // What the sink never took is dropped at the close deadline, counted.
  await Promise.all(open.map(({ registry }) => registry.shutdown()))
  await Promise.all(open.map(({ sink }) => sink.close()))
})

t.test('several flushes at once: each resolves complete, over the same records', async (t) => {
  const violations: string[] = []
  for (const placement of PLACEMENTS) {
    const sink = await startHttpSink({ defaultDelayMs: 50 })
    const { registry, logger } = httpLogger(placement, sink)
    log(logger, 0, 5)
    const first = registry.flush()
    log(logger, 5, 10)
    const [a, b] = await Promise.all([first, registry.flush()])
    if (!a.complete || !b.complete) violations.push(`${placement.name}: not complete`)
    if (sink.records.length !== 10) violations.push(`${placement.name}: ${sink.records.length} of 10`)
    await registry.shutdown()
    await sink.close()
  }
  t.same(violations, [])
})

t.test('a file destination holds every line once flush() resolves', async (t) => {
  const violations: string[] = []
  for (const useQueue of [false, true]) {
    for (const memory of [false, true]) {
      const name = `use_queue ${useQueue}, memory buffer ${memory}`
      const file = join(tempDir(), 'app.log')
      const registry = new LoggerRegistry()
      const logger = registry.getLogger({
        name: 'file',
        console: false,
        file,
        use_queue: useQueue,
        use_memory_handler: memory,
      })
      for (let round = 0; round < 2; round++) {
        log(logger, round * 200, (round + 1) * 200)
        const result = await registry.flush(round === 0 ? {} : { timeoutMs: 2000 })
        const lines = records(readFileSync(file, 'utf8')).map((r) => r.i)
        if (!result.complete) violations.push(`${name}, round ${round}: not complete`)
        if (JSON.stringify(lines) !== JSON.stringify(range(0, (round + 1) * 200))) {
          violations.push(`${name}, round ${round}: the file held ${lines.length} lines`)
        }
        if (result.stats.file?.file?.delivered !== (round + 1) * 200) {
          violations.push(`${name}, round ${round}: file stats ${JSON.stringify(result.stats.file?.file)}`)
        }
      }
      await registry.shutdown()
    }
  }
  t.same(violations, [])
})

t.test('an SMTP handler mails its pending digest on flush()', async (t) => {
  const violations: string[] = []
  for (const [name, useQueue, async] of [
    ['use_queue', true, true],
    ['worker (async: true)', false, true],
    ['main thread (async: false)', false, false],
  ] as const) {
    const smtp = await startSmtpSink()
    const registry = new LoggerRegistry()
    const logger = registry.getLogger({
      name: 'smtp',
      console: false,
      use_queue: useQueue,
      smtp_handler: {
        mailhost: ['127.0.0.1', smtp.port],
        fromaddr: 'app@example.com',
        toaddrs: 'ops@example.com',
        groupIntervalMs: 60_000,
        closeTimeoutMs: 500,
        async,
      },
    })
    logger.error('first: mailed at once')
    await smtp.waitForMessages(1, 10_000)
    logger.error('second: held for the digest')
    logger.error('third: held for the digest')
    const result = await registry.flush({ timeoutMs: 2000 })
    if (!result.complete) violations.push(`${name}: not complete`)
    const digest = smtp.messages.slice(1).map((m) => m.text ?? '')
    if (digest.length !== 1 || !digest[0]?.includes('second') || !digest[0].includes('third')) {
      violations.push(`${name}: after flush, the mails after the first: ${JSON.stringify(digest)}`)
    }
    await registry.shutdown()
    await smtp.close()
  }
  t.same(violations, [])
})

t.test('getStats() after shutdown(): the final counts of every destination, until the name is reused', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'final.log')
  const options = {
    name: 'final',
    console: false,
    file,
    use_memory_handler: true,
    http_handler: { url: sink.url, flushIntervalMs: 60_000, closeTimeoutMs: 500 },
  }
  const logger = registry.getLogger(options)
  log(logger, 0, 7)
  // Delivered before the shutdown: pino's worker close blocks this thread, where the sink runs.
  await registry.flush()
  await registry.shutdown()
  const settled = (destination: string) => ({
    destination,
    received: 7,
    delivered: 7,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
  const final = {
    final: {
      file: settled('file'),
      'memory-buffer:file': settled('memory-buffer:file'),
      'http-async': settled('http-async'),
      'memory-buffer:http': settled('memory-buffer:http'),
    },
  }
  t.same(registry.getStats(), final)
  t.same(await registry.flush(), { complete: true, stats: final }, 'a flush with nothing open has the same counts')
  registry.getLogger(options)
  t.notMatch(registry.getStats().final ?? {}, { file: { received: 7 } }, 'the name configured again starts afresh')
  // Configured again while shutting down: the new logger's counts are not overwritten.
  const closing = registry.shutdown()
  registry.getLogger(options)
  await closing
  t.notMatch(registry.getStats().final ?? {}, { file: { received: 7 } }, 'configured again during the shutdown')
  await registry.shutdown()
})

t.test('a worker that died answers no flush: complete false at once, its records counted', async (t) => {
  const stderr = process.stderr.write
  process.stderr.write = (() => true) as typeof process.stderr.write
  t.teardown(() => {
    process.stderr.write = stderr
  })
  // A spool directory whose lock belongs to a live process (pid 1): the worker cannot start.
  const spool = tempDir()
  writeFileSync(join(spool, 'lock'), '1')
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({
    name: 'dead',
    console: false,
    use_queue: true,
    http_handler: { url: 'http://127.0.0.1:9/x', spool: { dir: spool } },
  })
  log(logger, 0, 3)
  // The worker's death is reported a moment later: the first flush may find it starting.
  let result = await registry.flush({ timeoutMs: 300 })
  while (result.stats.dead?.worker === undefined) result = await registry.flush({ timeoutMs: 300 })
  const started = Date.now()
  result = await registry.flush({ timeoutMs: 300 })
  const ms = Date.now() - started
  t.match(result, { complete: false, stats: { dead: { worker: { received: 3, dropped: { 'worker-failed': 3 } } } } })
  t.ok(ms < 300, `without waiting for answers (${ms} ms)`)
  await registry.shutdown()
})

t.test('a bad timeoutMs is a ConfigError naming it; the module-level flush shares the registry', async (t) => {
  await t.rejects(flush({ timeoutMs: -1 }), { name: 'ConfigError', option: 'timeoutMs' })
  const sink = await startHttpSink({ defaultDelayMs: 50 })
  t.teardown(() => sink.close())
  const logger = getLogger({ name: 'module', console: false, http_handler: { url: sink.url, flushIntervalMs: 60_000 } })
  log(logger, 0, 3)
  const result = await flush({ timeoutMs: 2000 })
  t.match(result, { complete: true, stats: { module: { 'http-async': { delivered: 3 } } } })
  t.equal(sink.records.length, 3)
  await shutdown()
  t.match(getStats(), { module: { 'http-async': { received: 3, delivered: 3 } } })
})

t.test('serverless: flush() then a frozen process (SIGKILL): every record was already delivered', async (t) => {
  const sink = await startHttpSink({ defaultDelayMs: 50 })
  t.teardown(() => sink.close())
  const out = await runScript(
    `
import { flush, getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'lambda', console: false, http_handler: { url: ${JSON.stringify(sink.url)}, flushIntervalMs: 60000 } })
async function handler() {
  for (let i = 0; i < 500; i++) logger.info({ i }, 'invocation')
  const result = await flush()
  return result.complete
}
const complete = await handler()
process.stdout.write('flushed ' + complete + '\\n')
// The platform freezes the process once the handler returned: no exit path runs.
process.kill(process.pid, 'SIGKILL')
`,
    { timeoutMs: 30_000 },
  )
  t.notOk(out.timedOut)
  t.equal(out.signal, 'SIGKILL', out.stderr)
  t.equal(out.stdout, 'flushed true\n')
  t.same(ids(sink), range(0, 500))
})
