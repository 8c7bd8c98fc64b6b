import { EventEmitter, once } from 'node:events'
import { Worker } from 'node:worker_threads'
import t from 'tap'
import { closedSummary, DeliveryCounters, publishStats, STATS_EVENT, StatsReporter } from '../src/stats.ts'

t.test('counters keep received = delivered + dropped + buffered', async (t) => {
  const c = new DeliveryCounters('http')
  c.received += 10
  c.delivered += 4
  c.drop('overflow', 2)
  c.drop('http-400')
  c.drop('overflow')
  c.retried++
  t.equal(c.droppedTotal, 4)
  t.same(c.snapshot(), {
    destination: 'http',
    received: 10,
    delivered: 4,
    dropped: { overflow: 3, 'http-400': 1 },
    retried: 1,
    buffered: 2,
  })
})

t.test('in the main thread the stream emits the stats event', async (t) => {
  const stream = new EventEmitter()
  const got = once(stream, STATS_EVENT)
  publishStats(stream, new DeliveryCounters('smtp').snapshot())
  const [stats] = await got
  t.equal(stats.destination, 'smtp')
})

t.test('in a worker the stats go to the parent as a thread-stream EVENT message', async (t) => {
  const url = new URL('../dist/stats.js', import.meta.url).href
  const worker = new Worker(
    `import(${JSON.stringify(url)}).then(({ publishStats, DeliveryCounters }) => publishStats({ emit() { throw new Error('not in a worker') } }, new DeliveryCounters('http').snapshot()))`,
    { eval: true },
  )
  const [msg] = await once(worker, 'message')
  await worker.terminate()
  t.equal(msg.code, 'EVENT')
  t.equal(msg.name, STATS_EVENT)
  t.equal(msg.args[0].destination, 'http')
})

t.test('StatsReporter publishes changes at most once per interval, and at once on demand', async (t) => {
  const stream = new EventEmitter()
  const seen: number[] = []
  stream.on(STATS_EVENT, (s) => seen.push(s.received))
  const counters = new DeliveryCounters('http')
  const reporter = new StatsReporter(stream, counters, 20)
  counters.received = 1
  reporter.changed()
  counters.received = 2
  reporter.changed()
  t.same(seen, [], 'nothing published synchronously')
  const alive = setInterval(() => {}, 1000)
  await once(stream, STATS_EVENT)
  clearInterval(alive)
  t.same(seen, [2], 'one publish for two changes')
  counters.received = 3
  reporter.changed()
  reporter.publishNow()
  t.same(seen, [2, 3])
  t.equal(reporter.counters, counters)
})

t.test('closedSummary: nothing when nothing was dropped, else one line with every reason', async (t) => {
  const c = new DeliveryCounters('http')
  c.received = 10
  c.delivered = 10
  t.equal(closedSummary(c.snapshot()), undefined, 'all delivered: nothing to say')
  c.received = 12
  t.equal(closedSummary(c.snapshot()), undefined, 'still buffered is not dropped')
  c.received = 20
  c.drop('overflow', 3)
  c.drop('http-400')
  c.drop('overflow')
  t.equal(
    closedSummary(c.snapshot()),
    'closed: 20 records received, 10 delivered, 5 not delivered (overflow: 4, http-400: 1)',
  )
  t.equal(
    closedSummary(c.snapshot(), 'mailed'),
    'closed: 20 records received, 10 mailed, 5 not mailed (overflow: 4, http-400: 1)',
    "the destination's own word for delivered",
  )
})
