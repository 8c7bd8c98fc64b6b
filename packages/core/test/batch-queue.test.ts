import t, { type Test } from 'tap'
import { type Batch, BatchQueue, OVERFLOW_POLICIES, QueueDropReasons } from '../src/batch-queue.ts'
import { DeliveryCounters } from '../src/stats.ts'

function make(maxBytes: number, overflow: 'drop-oldest' | 'drop-newest', maxItemBytes = maxBytes) {
  const counters = new DeliveryCounters('q')
  let clock = 1000
  const queue = new BatchQueue(counters, { maxBytes, maxItemBytes, overflow, now: () => clock++ })
  // The identity, and that `buffered` is what the queue really holds.
  const check = (t: Test) => {
    t.equal(counters.received, counters.delivered + counters.droppedTotal + counters.buffered)
    t.equal(counters.buffered, queue.length)
  }
  return { counters, queue, check }
}

t.test('policies are listed', async (t) => {
  t.same(OVERFLOW_POLICIES, ['drop-oldest', 'drop-newest'])
})

t.test('FIFO batches bounded by records and bytes, a lone big record goes alone', async (t) => {
  const { queue, counters, check } = make(1000, 'drop-oldest')
  t.equal(queue.oldestAt, undefined)
  for (const s of ['aa', 'bb', 'cc', 'dddddddddd', 'ee']) t.ok(queue.push(s))
  t.equal(queue.oldestAt, 1000)
  t.equal(queue.bytes, 18)
  const b1 = queue.take(2, 100)
  t.same(b1.items, ['aa', 'bb'])
  t.equal(b1.bytes, 4)
  t.same([...b1.sizes], [2, 2])
  t.equal(queue.waiting, 3)
  t.equal(queue.waitingBytes, 14)
  t.equal(queue.length, 5, 'a batch taken is still held')
  t.equal(queue.bytes, 18)
  t.equal(queue.oldestAt, 1002, 'the oldest waiting')
  queue.delivered(b1)
  check(t)
  const b2 = queue.take(10, 5)
  t.same(b2.items, ['cc'], 'the byte bound stops the batch')
  queue.delivered(b2)
  const b3 = queue.take(10, 5)
  t.same(b3.items, ['dddddddddd'], 'larger than maxBytes: alone')
  queue.delivered(b3)
  const b4 = queue.take(10, 100)
  t.same(b4.items, ['ee'])
  queue.delivered(b4)
  t.equal(counters.delivered, 5)
  t.equal(queue.length, 0)
  t.equal(queue.bytes, 0)
  check(t)
})

t.test('several batches out at once, settled in any order; only a contiguous prefix is released', async (t) => {
  const { queue, counters, check } = make(1000, 'drop-oldest')
  for (const s of ['a1', 'a2', 'b1', 'b2', 'c1']) queue.push(s)
  const a = queue.take(2, 100)
  const b = queue.take(2, 100)
  const c = queue.take(2, 100)
  t.same([a.items, b.items, c.items], [['a1', 'a2'], ['b1', 'b2'], ['c1']])
  t.equal(queue.waiting, 0)
  t.equal(queue.length, 5)
  const released: number[] = []
  released.push(queue.delivered(b))
  check(t)
  released.push(queue.dropBatch(c, 'http-400'))
  released.push(queue.delivered(a))
  t.same(released, [0, 0, 5], 'nothing leaves the front until the oldest batch settles, then all three')
  t.same(counters.snapshot().dropped, { 'http-400': 1 })
  t.equal(counters.delivered, 4)
  t.equal(queue.settle(a), 0, 'settling twice counts and releases nothing')
  t.equal(counters.delivered, 4)
  check(t)
})

t.test('record too large is dropped and counted, never queued', async (t) => {
  const { queue, counters, check } = make(100, 'drop-oldest', 3)
  t.notOk(queue.push('abcd'))
  t.ok(queue.push('abc'))
  t.same(counters.snapshot().dropped, { [QueueDropReasons.RECORD_TOO_LARGE]: 1 })
  t.ok(queue.push('é', 2), 'explicit byte size')
  check(t)
})

t.test('drop-newest keeps the oldest, exact counts; batches out count against the bound', async (t) => {
  const { queue, counters, check } = make(10, 'drop-newest')
  for (let i = 0; i < 25; i++) queue.push(String(i).padStart(2, '0')) // 2 bytes each: 5 fit
  t.equal(queue.length, 5)
  t.same(counters.snapshot().dropped, { overflow: 20 })
  const batch = queue.take(100, 100)
  t.same(batch.items, ['00', '01', '02', '03', '04'])
  t.notOk(queue.push('xx'), 'in flight, still held: no room')
  queue.park(batch)
  t.notOk(queue.push('xx'), 'drop-newest never drops a parked batch')
  t.same(counters.snapshot().dropped, { overflow: 22 })
  check(t)
})

t.test('drop-oldest keeps the newest, exact counts', async (t) => {
  const { queue, counters, check } = make(10, 'drop-oldest')
  for (let i = 0; i < 25; i++) queue.push(String(i).padStart(2, '0'))
  t.equal(queue.length, 5)
  t.same(counters.snapshot().dropped, { overflow: 20 })
  const batch = queue.take(100, 100)
  t.same(batch.items, ['20', '21', '22', '23', '24'])
  check(t)
  queue.delivered(batch)
  t.ok(queue.push('abcdefghij'), 'exactly the bound fits')
  t.ok(queue.push('x'), 'and drops the 10-byte record to fit')
  t.same(counters.snapshot().dropped, { overflow: 21 })
  check(t)
})

t.test('drop-oldest: parked batches first (oldest first), then the line; never a batch being sent', async (t) => {
  const { queue, counters, check } = make(12, 'drop-oldest')
  for (const s of ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']) queue.push(s)
  const a = queue.take(2, 100) // being sent
  const b = queue.take(2, 100)
  queue.park(b) // waiting for its retry
  queue.push('d1') // drops b1
  t.same(b.items, ['b2'], 'the parked batch lost its oldest record')
  t.equal(b.bytes, 2)
  queue.push('d2') // drops b2: b is empty
  t.same(b.items, [], 'the parked batch is empty, counted')
  queue.push('e1') // drops c1 (waiting), never a1 or a2
  t.same(counters.snapshot().dropped, { overflow: 3 })
  t.same(a.items, ['a1', 'a2'])
  check(t)
  t.equal(queue.settle(b), 0, 'a is older and still out')
  t.equal(queue.delivered(a), 4, 'a and the emptied b leave the front (counted as taken)')
  const c = queue.take(1, 100)
  t.same(c.items, ['c2'])
  queue.unpark(c)
  t.notOk(
    queue.push('0123456789a'),
    'cannot fit even after dropping everything not being sent: nothing else is dropped',
  )
  t.same(counters.snapshot().dropped, { overflow: 4 })
  t.same(queue.take(100, 100).items, ['d1', 'd2', 'e1'], 'what was waiting is intact')
  check(t)
})

t.test('held(): batches out in take order, then the line; dropAll and forgetAll take everything', async (t) => {
  const { queue, counters, check } = make(100, 'drop-oldest')
  t.equal(queue.dropAll('close-timeout'), 0)
  for (const s of ['a', 'b', 'c', 'd']) queue.push(s)
  const first = queue.take(1, 100)
  queue.take(1, 100)
  queue.delivered(first)
  t.same(queue.held().items, ['b', 'c', 'd'])
  t.equal(queue.held().bytes, 3)
  t.equal(queue.dropAll('close-timeout'), 3)
  t.same(counters.snapshot().dropped, { 'close-timeout': 3 })
  t.equal(queue.length, 0)
  check(t)
  queue.push('e')
  queue.take(1, 100)
  queue.push('f')
  t.equal(queue.forgetAll(), 2)
  t.equal(queue.bytes, 0)
})

t.test('long runs compact the arrays and stay exact', async (t) => {
  const { queue, counters, check } = make(10_000_000, 'drop-oldest')
  let expected = 0
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 1000; i++) queue.push(`${round}-${i}`)
    const batch = queue.take(700, 1_000_000)
    t.equal(batch.items[0], `${round === 0 ? 0 : Math.floor(expected / 1000)}-${expected % 1000}`)
    expected += batch.items.length
    queue.delivered(batch)
  }
  t.equal(counters.delivered, 21_000)
  check(t)
  // Overflow while batches are out or parked, then compaction through drops.
  const small = make(60, 'drop-oldest')
  const out: Batch[] = []
  for (let i = 0; i < 10_000; i++) {
    small.queue.push(`${i % 10}abcd`)
    if (i % 7 === 0 && small.queue.waiting > 0) out.push(small.queue.take(3, 100))
    if (i % 13 === 0 && out.length > 0) small.queue.park(out[0] as Batch)
    if (i % 11 === 0 && out.length > 0) small.queue.delivered(out.shift() as Batch)
  }
  small.check(t)
})

t.test('arrival times default to the wall clock', async (t) => {
  const queue = new BatchQueue(new DeliveryCounters('q'), { maxBytes: 10, maxItemBytes: 10, overflow: 'drop-newest' })
  const before = Date.now()
  queue.push('a')
  t.ok((queue.oldestAt as number) >= before)
})

t.test('bytes: a queue of Buffers counts their length', async (t) => {
  const counters = new DeliveryCounters('q')
  const queue = new BatchQueue<Buffer>(counters, { maxBytes: 5, maxItemBytes: 5, overflow: 'drop-oldest' })
  queue.push(Buffer.from('ab'))
  queue.push(Buffer.from('é')) // 2 bytes
  queue.push(Buffer.from('cd'))
  t.equal(queue.bytes, 4)
  t.same(
    queue.take(10, 10).items.map((b) => b.toString()),
    ['é', 'cd'],
  )
})

t.test('offsets travel with their records: through overflow, parking and growth', async (t) => {
  const counters = new DeliveryCounters('q')
  const chunk = Buffer.from('aa\nbb\ncc\ndd\n')
  const holder = { held: 0, retain: () => holder.held++, release: (_: Buffer, n: number) => (holder.held -= n) }
  const queue = new BatchQueue<Buffer>(counters, { maxBytes: 6, maxItemBytes: 6, overflow: 'drop-oldest', holder })
  for (let i = 0; i < 4; i++) queue.push(chunk, 2, 0, i * 3) // 'dd' pushes 'aa' out
  const bb = queue.take(1, 100) // bb being sent
  queue.push(chunk, 2, 0, 0) // drops cc, never the bb being sent
  const rest = queue.take(10, 100)
  const lines = (batch: Batch<Buffer>) =>
    batch.items.map((c, i) =>
      c.subarray(batch.offsets[i], (batch.offsets[i] as number) + (batch.sizes[i] as number)).toString(),
    )
  t.same([...rest.offsets], [9, 0])
  t.same([...lines(bb), ...lines(rest)], ['bb', 'dd', 'aa'])
  queue.park(rest)
  queue.push(chunk, 2, 0, 6) // drops dd from the parked batch
  t.same(lines(rest), ['aa'])
  t.equal(holder.held, queue.length, 'the holder is told of every record let go')
  const big = new BatchQueue<Buffer>(new DeliveryCounters('q'), {
    maxBytes: 1e9,
    maxItemBytes: 10,
    overflow: 'drop-oldest',
  })
  for (let i = 0; i < 5000; i++) big.push(chunk, 1, 0, i)
  t.same([...big.take(3, 100).offsets], [0, 1, 2])
})
