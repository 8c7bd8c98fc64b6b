import t, { type Test } from 'tap'
import { BatchQueue, OVERFLOW_POLICIES, QueueDropReasons } from '../src/batch-queue.ts'
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
  t.equal(queue.taken, 2)
  t.throws(() => queue.take(1, 1), /already taken/)
  queue.delivered()
  check(t)
  t.equal(queue.oldestAt, 1002)
  const b2 = queue.take(10, 5)
  t.same(b2.items, ['cc'], 'the byte bound stops the batch')
  queue.delivered()
  t.same(queue.take(10, 5).items, ['dddddddddd'], 'larger than maxBytes: alone')
  queue.delivered()
  t.same(queue.take(10, 100).items, ['ee'])
  queue.delivered()
  t.equal(counters.delivered, 5)
  t.equal(queue.length, 0)
  t.equal(queue.bytes, 0)
  check(t)
})

t.test('untake puts a batch back for a retry; dropTaken counts it with the reason', async (t) => {
  const { queue, counters, check } = make(1000, 'drop-oldest')
  queue.push('a')
  queue.push('b')
  queue.take(1, 100)
  queue.untake()
  t.equal(queue.taken, 0)
  t.same(queue.take(5, 100).items, ['a', 'b'], 'the same records, in order')
  queue.dropTaken('http-400')
  t.same(counters.snapshot().dropped, { 'http-400': 2 })
  queue.dropTaken('nothing-taken')
  t.same(counters.snapshot().dropped, { 'http-400': 2 }, 'nothing taken, nothing counted')
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

t.test('drop-newest keeps the oldest, exact counts', async (t) => {
  const { queue, counters, check } = make(10, 'drop-newest')
  for (let i = 0; i < 25; i++) queue.push(String(i).padStart(2, '0')) // 2 bytes each: 5 fit
  t.equal(queue.length, 5)
  t.same(counters.snapshot().dropped, { overflow: 20 })
  t.same(queue.take(100, 100).items, ['00', '01', '02', '03', '04'])
  check(t)
})

t.test('drop-oldest keeps the newest, exact counts', async (t) => {
  const { queue, counters, check } = make(10, 'drop-oldest')
  for (let i = 0; i < 25; i++) queue.push(String(i).padStart(2, '0'))
  t.equal(queue.length, 5)
  t.same(counters.snapshot().dropped, { overflow: 20 })
  t.same(queue.take(100, 100).items, ['20', '21', '22', '23', '24'])
  check(t)
  queue.delivered()
  t.ok(queue.push('abcdefghij'), 'exactly the bound fits')
  t.ok(queue.push('x'), 'and drops the 10-byte record to fit')
  t.same(counters.snapshot().dropped, { overflow: 21 })
  check(t)
})

t.test('drop-oldest never drops the taken batch; drops what waits behind it', async (t) => {
  const { queue, counters, check } = make(10, 'drop-oldest')
  for (const s of ['a1', 'a2', 'b1', 'b2', 'b3']) queue.push(s)
  queue.take(2, 100) // a1 a2 in flight
  queue.push('c1') // drops b1
  queue.push('c22') // 3 bytes: drops b2 and b3
  t.same(counters.snapshot().dropped, { overflow: 3 })
  t.equal(queue.bytes, 9)
  check(t)
  queue.delivered()
  t.same(queue.take(100, 100).items, ['c1', 'c22'])
  queue.untake()
  queue.take(1, 100) // c1 locked
  t.notOk(queue.push('0123456789'), 'cannot fit even after dropping everything unlocked: the newcomer goes')
  t.same(counters.snapshot().dropped, { overflow: 4 })
  check(t)
  queue.untake()
  t.same(queue.take(100, 100).items, ['c1', 'c22'], 'what was waiting is intact')
})

t.test('dropAll empties the queue, taken batch included', async (t) => {
  const { queue, counters, check } = make(100, 'drop-oldest')
  t.equal(queue.dropAll('close-timeout'), 0)
  for (const s of ['a', 'b', 'c']) queue.push(s)
  queue.take(1, 100)
  t.equal(queue.dropAll('close-timeout'), 3)
  t.same(counters.snapshot().dropped, { 'close-timeout': 3 })
  t.equal(queue.length, 0)
  t.equal(queue.taken, 0)
  check(t)
})

t.test('long runs compact the arrays and stay exact', async (t) => {
  const { queue, counters, check } = make(10_000_000, 'drop-oldest')
  let expected = 0
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 1000; i++) queue.push(`${round}-${i}`)
    const batch = queue.take(700, 1_000_000)
    t.equal(batch.items[0], `${round === 0 ? 0 : Math.floor(expected / 1000)}-${expected % 1000}`)
    expected += batch.items.length
    queue.delivered()
  }
  t.equal(counters.delivered, 21_000)
  check(t)
  // Overflow while a batch is locked, then compaction through drops.
  const small = make(60, 'drop-oldest')
  for (let i = 0; i < 10_000; i++) {
    small.queue.push(`${i % 10}abcd`)
    if (i % 7 === 0 && small.queue.taken === 0) small.queue.take(3, 100)
    if (i % 11 === 0 && small.queue.taken > 0) small.queue.delivered()
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

t.test('offsets travel with their records: through overflow, locking and growth', async (t) => {
  const counters = new DeliveryCounters('q')
  const chunk = Buffer.from('aa\nbb\ncc\ndd\n')
  const queue = new BatchQueue<Buffer>(counters, { maxBytes: 6, maxItemBytes: 6, overflow: 'drop-oldest' })
  for (let i = 0; i < 4; i++) queue.push(chunk, 2, 0, i * 3) // 'dd' pushes 'aa' out
  queue.take(1, 100) // bb locked
  queue.push(chunk, 2, 0, 0) // drops cc, behind the locked bb
  queue.untake()
  const batch = queue.take(10, 100)
  t.same([...batch.offsets], [3, 9, 0])
  t.same(
    batch.items.map((c, i) =>
      c.subarray(batch.offsets[i], (batch.offsets[i] as number) + (batch.sizes[i] as number)).toString(),
    ),
    ['bb', 'dd', 'aa'],
  )
  const big = new BatchQueue<Buffer>(new DeliveryCounters('q'), {
    maxBytes: 1e9,
    maxItemBytes: 10,
    overflow: 'drop-oldest',
  })
  for (let i = 0; i < 5000; i++) big.push(chunk, 1, 0, i)
  t.same([...big.take(3, 100).offsets], [0, 1, 2])
})
