// queue_size: Python's bounded queue in front of the worker. Records wait here only once the
// worker's buffer is full; beyond queue_size they are dropped, counted queue-full.
import { EventEmitter } from 'node:events'
import t from 'tap'
import { pkg, runScript } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { QueueStage } from '../src/queue-stage.ts'
import { resolveLoggerOptions } from '../src/resolve-options.ts'

/** A worker input that takes `room` writes, then says full until `drain()`. */
function input(room: number) {
  const emitter = new EventEmitter()
  const taken: string[] = []
  let left = room
  return {
    taken,
    write(chunk: string) {
      taken.push(chunk.trim())
      return --left > 0
    },
    once: (event: 'drain', listener: () => void) => emitter.once(event, listener),
    drain(more: number) {
      left = more
      emitter.emit('drain')
    },
  }
}

t.test('held in order while the worker is full, dropped beyond queue_size, forwarded on drain', async (t) => {
  const worker = input(2)
  const stage = new QueueStage(worker, 3)
  for (let i = 0; i < 7; i++) stage.write(`r${i}\n`)
  t.same(worker.taken, ['r0', 'r1'], 'the second write filled the worker: the rest waits')
  t.match(stage.stats(), { received: 7, delivered: 2, dropped: { 'queue-full': 2 }, buffered: 3 })
  worker.drain(2)
  t.same(worker.taken, ['r0', 'r1', 'r2', 'r3'], 'on drain, in order, until full again')
  worker.drain(10)
  t.same(worker.taken, ['r0', 'r1', 'r2', 'r3', 'r4'])
  stage.write('r7\n')
  t.same(worker.taken.at(-1), 'r7', 'once drained, straight through')
  t.match(stage.stats(), { received: 8, delivered: 6, dropped: { 'queue-full': 2 }, buffered: 0 })
})

t.test('release hands everything over at once (flush, exit, close)', async (t) => {
  const worker = input(1)
  const stage = new QueueStage(worker, 10)
  for (const r of ['a', 'b', 'c']) stage.write(`${r}\n`)
  stage.release()
  t.same(worker.taken, ['a', 'b', 'c'])
  t.match(stage.stats(), { received: 3, delivered: 3, buffered: 0 })
  worker.drain(1)
  stage.write('d\n')
  t.same(worker.taken.at(-1), 'd')
  t.throws(() => resolveLoggerOptions({ queue_size: 0 }), { option: 'queue_size', message: /an integer from 1/ })
  t.equal(resolveLoggerOptions({ queueSize: 5 }).queueSize, 5)
})

t.test('through getLogger: a burst into a stalled worker is bounded by queue_size, every record counted', async (t) => {
  // The endpoint answers late and the handler holds little: the worker stops reading, its
  // buffer fills, and the burst meets the bound.
  const sink = await startHttpSink({ defaultDelayMs: 300 })
  t.teardown(() => sink.close())
  const run = await runScript(`
    import { getLogger, getStats, shutdown } from ${JSON.stringify(pkg('get-logger'))}
    const logger = getLogger({
      name: 'bounded', console: false, use_queue: true, queue_size: 100,
      http_handler: { url: ${JSON.stringify(sink.url)}, maxBufferBytes: 65536, closeTimeoutMs: 500, overflow: 'drop-newest' },
    })
    for (let i = 0; i < 100000; i++) logger.info({ i, pad: 'x'.repeat(100) }, 'burst')
    await shutdown()
    console.log(JSON.stringify(getStats().bounded))
  `)
  t.equal(run.code, 0, run.stderr)
  const { queue, 'http-async': http } = JSON.parse(run.stdout)
  const dropped = (s: { dropped: Record<string, number> }) => Object.values(s.dropped).reduce((a, b) => a + b, 0)
  t.ok(queue.dropped['queue-full'] > 0, `the bound turned records away (${queue.dropped['queue-full']})`)
  t.same(
    [queue.received, queue.received === queue.delivered + dropped(queue), queue.buffered],
    [100000, true, 0],
    'every record handed to the worker or counted queue-full',
  )
  t.equal(http.received, queue.delivered, 'what the queue handed over is what the handler received')
})
