import t from 'tap'
import { BatchQueue } from '../src/batch-queue.ts'
import { DeliveryCounters } from '../src/stats.ts'
import { itemLines } from '../src/unsent.ts'

t.test('held(): everything held, the taken batch first, without settling anything', async (t) => {
  const counters = new DeliveryCounters('q')
  const queue = new BatchQueue<Buffer>(counters, { maxBytes: 1000, maxItemBytes: 1000, overflow: 'drop-oldest' })
  const chunk = Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n')
  queue.push(chunk, 7, 0, 0)
  queue.push(chunk, 7, 0, 8)
  queue.take(1, 1000)
  queue.push(chunk, 7, 0, 16)
  const held = queue.held()
  t.same(itemLines(held.items, held.offsets, held.sizes), ['{"a":1}', '{"b":2}', '{"c":3}'])
  t.equal(held.bytes, 21)
  t.same([queue.waiting, queue.length], [2, 3], 'the taken batch is still out')
  t.match(counters.snapshot(), { received: 3, buffered: 3 })
})

t.test('itemLines: text items as they are; byte items by their range, wherever the view starts', async (t) => {
  const backing = Buffer.from('xx{"é":1}yy')
  const view = backing.subarray(2)
  t.same(itemLines(['{"a":1}', view], new Float64Array([0, 0]), new Float64Array([7, 8])), ['{"a":1}', '{"é":1}'])
})
