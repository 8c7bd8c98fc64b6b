// getStats() against known scenarios: per destination, exactly what was received, delivered,
// dropped (by reason), retried and is still buffered.
import { join } from 'node:path'
import type { DeliveryStats } from '@pino-advanced/core'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

type Stats = Record<string, DeliveryStats>

/** Polls getStats() until `done` holds for the logger's stats; fails the test past the bound. */
function statsWhen(registry: LoggerRegistry, name: string, done: (s: Stats) => boolean, boundMs = 10_000) {
  return new Promise<Stats>((resolve, reject) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const stats = registry.getStats()[name] ?? {}
      if (done(stats)) {
        clearInterval(poll)
        resolve(stats)
      } else if (Date.now() - started > boundMs) {
        clearInterval(poll)
        reject(new Error(`stats not as expected within ${boundMs} ms: ${JSON.stringify(stats)}`))
      }
    }, 20)
  })
}

const settled = (s: DeliveryStats | undefined, received: number) =>
  s !== undefined && s.received === received && s.buffered === 0

for (const useQueue of [false, true]) {
  t.test(`use_queue ${useQueue}: a sink that rejects every third batch with 400`, async (t) => {
    const sink = await startHttpSink({ script: [200, 200, 400, 200, 200, 400] })
    t.teardown(() => sink.close())
    const registry = new LoggerRegistry()
    const name = `every-third-${useQueue}`
    const logger = registry.getLogger({
      name,
      console: false,
      file: join(tempDir(), 'app.log'),
      use_queue: useQueue,
      http_handler: { url: sink.url, maxBatchRecords: 10, flushIntervalMs: 10 },
    })
    // One batch at a time: ten records, then wait for their request.
    for (let batch = 0; batch < 6; batch++) {
      for (let i = 0; i < 10; i++) logger.info({ i: batch * 10 + i }, 'counted')
      await sink.waitForRequests(batch + 1, 10_000)
    }
    const stats = await statsWhen(registry, name, (s) => settled(s['http-async'], 60) && settled(s.file, 60))
    t.same(stats['http-async'], {
      destination: 'http-async',
      received: 60,
      delivered: 40,
      dropped: { 'http-400': 20 },
      retried: 0,
      buffered: 0,
    })
    t.same(stats.file, { destination: 'file', received: 60, delivered: 60, dropped: {}, retried: 0, buffered: 0 })
    t.equal(sink.records.length, 40)
    await registry.shutdown()
  })

  t.test(`use_queue ${useQueue}: a retried batch, and records still held by the memory buffers`, async (t) => {
    const sink = await startHttpSink({ script: [503] })
    t.teardown(() => sink.close())
    const registry = new LoggerRegistry()
    const name = `retry-${useQueue}`
    const logger = registry.getLogger({
      name,
      console: false,
      file: join(tempDir(), 'app.log'),
      use_queue: useQueue,
      use_memory_handler: true,
      memory_capacity: 5,
      http_handler: { url: sink.url, maxBatchRecords: 5, flushIntervalMs: 10, retryBaseDelayMs: 10 },
    })
    for (let i = 0; i < 12; i++) logger.info({ i }, 'counted')
    await sink.waitForRecords(10, 10_000)
    const stats = await statsWhen(
      registry,
      name,
      (s) => settled(s['http-async'], 10) && settled(s.file, 10) && s['memory-buffer:http']?.received === 12,
    )
    t.match(stats['http-async'], { received: 10, delivered: 10, retried: 5, dropped: {}, buffered: 0 })
    t.match(stats['memory-buffer:http'], { received: 12, delivered: 10, buffered: 2 })
    t.match(stats['memory-buffer:file'], { received: 12, delivered: 10, buffered: 2 })
    t.match(stats.file, { received: 10, delivered: 10, buffered: 0 })
    t.same(
      sink.records.map((r) => r.i),
      Array.from({ length: 10 }, (_, i) => i),
    )
    // (That shutdown releases the last two is checked in exit.test.ts: here the sink shares the
    // thread that shutdown blocks while pino's worker closes.)
    await registry.shutdown()
  })
}
