import t, { type Test } from 'tap'
import { random } from '../../../test/helpers/random.ts'
import { type Batch, BatchQueue, OVERFLOW_POLICIES, QueueDropReasons } from '../src/batch-queue.ts'
import { DeliveryCounters } from '../src/stats.ts'

function make(maxBytes: number, overflow: 'drop-oldest' | 'drop-newest', maxItemBytes = maxBytes) {
  const counters = new DeliveryCounters('q')
  let clock = 1000
  const queue = new BatchQueue(counters, { maxBytes, maxItemBytes, overflow, now: () => clock++ })
  // The identity, and that `buffered` is what the queue really holds: one assertion.
  const check = (t: Test) => {
    const { received, delivered, droppedTotal, buffered } = counters
    t.same(
      [received, buffered],
      [delivered + droppedTotal + buffered, queue.length],
      'received = delivered + dropped + buffered; buffered is what the queue holds',
    )
  }
  return { counters, queue, check }
}

t.test('policies are listed', async (t) => {
  t.same(OVERFLOW_POLICIES, ['drop-oldest', 'drop-newest'])
})

t.test('FIFO batches bounded by records and bytes, a lone big record goes alone', async (t) => {
  const { queue, counters, check } = make(1000, 'drop-oldest')
  t.equal(queue.oldestAt, undefined)
  t.same(
    ['aa', 'bb', 'cc', 'dddddddddd', 'ee'].map((s) => queue.push(s)),
    [true, true, true, true, true],
    'every push accepted',
  )
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
  // Each round's first record is the oldest not yet taken: checked every round, asserted once.
  const firsts: [string | undefined, string][] = []
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 1000; i++) queue.push(`${round}-${i}`)
    const batch = queue.take(700, 1_000_000)
    firsts.push([batch.items[0], `${round === 0 ? 0 : Math.floor(expected / 1000)}-${expected % 1000}`])
    expected += batch.items.length
    queue.delivered(batch)
  }
  t.same(
    firsts.filter(([got, want]) => got !== want),
    [],
    'every batch starts at the oldest record not yet taken',
  )
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

t.test('the holder is told of consecutive records of one chunk in one call, per run', async (t) => {
  const a = Buffer.from('a1\na2\na3\n')
  const b = Buffer.from('b1\n')
  const calls: [string, number][] = []
  const holder = { retain() {}, release: (chunk: Buffer, n: number) => calls.push([chunk.toString()[0] as string, n]) }
  const queue = new BatchQueue<Buffer>(new DeliveryCounters('q'), {
    maxBytes: 100,
    maxItemBytes: 10,
    overflow: 'drop-oldest',
    holder,
  })
  for (let i = 0; i < 3; i++) queue.push(a, 2, 0, i * 3)
  queue.push(b, 2, 0, 0)
  queue.push(a, 2, 0, 0)
  queue.delivered(queue.take(10, 100))
  t.same(
    calls,
    [
      ['a', 3],
      ['b', 1],
      ['a', 1],
    ],
    'three runs: a three times, b, a again',
  )
})

// Positions (a flush waits for frontPosition to pass the endPosition it marked).

t.test('positions: endPosition counts records held; frontPosition is the oldest still held', async (t) => {
  const { queue } = make(1000, 'drop-oldest')
  t.same([queue.endPosition, queue.frontPosition], [0, 0], 'empty: front is end')
  for (const s of ['a1', 'a2', 'b1', 'b2', 'c1']) queue.push(s)
  t.same([queue.endPosition, queue.frontPosition], [5, 0])
  const a = queue.take(2, 100)
  const b = queue.take(2, 100)
  t.equal(queue.frontPosition, 0, 'a batch taken is still held')
  queue.delivered(b)
  t.equal(queue.frontPosition, 0, 'settled out of order: the older batch a still holds position 0')
  queue.dropBatch(a, 'http-400')
  t.equal(queue.frontPosition, 4, 'a dropped (counted): the front is the line, c1 at 4')
  const c = queue.take(10, 100)
  t.equal(queue.frontPosition, 4)
  queue.delivered(c)
  t.same([queue.endPosition, queue.frontPosition], [5, 5], 'all settled: front is end')
  queue.push('d1')
  t.same([queue.endPosition, queue.frontPosition], [6, 5], 'numbering goes on')
})

t.test('positions: a later batch settled first leaves the front with the oldest one out', async (t) => {
  const { queue } = make(1000, 'drop-oldest')
  for (const s of ['a', 'b', 'c', 'd', 'e', 'f']) queue.push(s)
  const batches = [queue.take(2, 100), queue.take(2, 100), queue.take(2, 100)] as const
  const fronts: number[] = []
  queue.delivered(batches[2])
  fronts.push(queue.frontPosition)
  queue.delivered(batches[0])
  fronts.push(queue.frontPosition)
  queue.delivered(batches[1])
  fronts.push(queue.frontPosition)
  t.same(fronts, [0, 2, 6], 'the front moves only past the oldest batch, then past everything settled')
})

t.test('positions: overflow dropping a parked batch from its front moves the front with it', async (t) => {
  const { queue, check } = make(12, 'drop-oldest')
  for (const s of ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']) queue.push(s)
  const a = queue.take(2, 100) // being sent
  const b = queue.take(2, 100)
  queue.park(b)
  queue.push('d1') // drops b1
  t.equal(queue.frontPosition, 0, 'a (being sent) is older than anything overflow drops')
  queue.delivered(a)
  t.equal(queue.frontPosition, 3, 'b lost b1 (position 2): its b2 at 3 is the oldest held')
  queue.push('d2')
  queue.push('e1') // a's delivery made room for these two: the bound is reached, nothing dropped
  t.equal(queue.frontPosition, 3)
  queue.push('f1') // drops b2: b is emptied
  t.same(b.items, [])
  t.equal(queue.frontPosition, 4, 'the emptied batch holds nothing: c1 at 4')
  queue.push('f2') // drops c1 from the line
  t.same([queue.endPosition, queue.frontPosition], [11, 5])
  t.equal(queue.settle(b), 2, 'settling the emptied batch only releases it')
  t.equal(queue.frontPosition, 5)
  check(t)
})

t.test(
  'split: two batches in the place of the taken one; the contiguous prefix and positions still add up',
  async (t) => {
    const { queue, check } = make(12, 'drop-oldest')
    for (const s of ['a1', 'a2', 'a3', 'a4', 'a5', 'b1']) queue.push(s)
    const a = queue.take(5, 100)
    const b = queue.take(5, 100)
    queue.park(a)
    queue.push('c1') // overflow drops a1 from the parked batch
    t.same(a.items, ['a2', 'a3', 'a4', 'a5'])
    const [older, newer] = queue.split(a)
    t.same([older.items, newer.items, older.bytes, newer.bytes], [['a2', 'a3'], ['a4', 'a5'], 4, 4])
    t.same([...older.sizes, ...newer.sizes], [2, 2, 2, 2])
    t.equal(queue.frontPosition, 1, 'the older half holds the oldest record (a2, at 1)')
    queue.push('c2') // parked halves stay parked: overflow drops a2 from the older one
    t.same(older.items, ['a3'])
    t.equal(queue.delivered(newer), 0, 'the older half is still out')
    t.equal(queue.delivered(b), 0)
    t.equal(queue.delivered(older), 6, "the whole of a's five taken records, then b's one")
    t.equal(queue.length, 2)
    check(t)
  },
)

t.test('positions: drops on arrival take no position; waiting-line overflow moves the front', async (t) => {
  const newest = make(10, 'drop-newest', 4)
  for (let i = 0; i < 8; i++) newest.queue.push(`n${i}`) // 2 bytes: 5 fit, 3 dropped
  newest.queue.push('toolong')
  t.same([newest.queue.endPosition, newest.queue.frontPosition], [5, 0], 'the dropped newcomers were never held')
  const oldest = make(10, 'drop-oldest')
  for (let i = 0; i < 8; i++) oldest.queue.push(`o${i}`) // o0..o2 dropped from the line
  t.same([oldest.queue.endPosition, oldest.queue.frontPosition], [8, 3])
  t.same(oldest.queue.take(1, 100).items, ['o3'], 'the front is the record at that position')
})

t.test('positions: dropAll and forgetAll leave the front at the end; hold takes a position', async (t) => {
  const { queue } = make(100, 'drop-oldest')
  for (const s of ['a', 'b', 'c']) queue.push(s)
  const out = queue.take(1, 100)
  queue.park(out)
  queue.dropAll('close-timeout')
  t.same([queue.endPosition, queue.frontPosition], [3, 3])
  queue.hold('d', 1, undefined, 0)
  queue.take(1, 100)
  queue.push('e')
  t.same([queue.endPosition, queue.frontPosition], [5, 3])
  queue.forgetAll()
  t.same([queue.endPosition, queue.frontPosition], [5, 5])
  t.same(queue.take(10, 100).items, [], 'nothing left: an empty take')
  t.equal(queue.frontPosition, 5, 'an empty batch holds no position')
})

t.test('positions: random runs of push, take, park, settle and overflow match a model', async (t) => {
  const violations: string[] = []
  let overflowed = 0
  for (let seed = 1; seed <= 20; seed++) {
    const rand = random(seed)
    const overflow = seed % 2 === 0 ? 'drop-oldest' : 'drop-newest'
    const { queue, counters } = make(60, overflow)
    let next = 0
    let held = 0
    const out: Batch[] = []
    for (let step = 0; step < 400; step++) {
      const r = rand()
      if (r < 0.5) {
        // Each record names the position it gets if held: the model reads positions off them.
        if (queue.push(`${String(held).padStart(5, '0')}|${next++}`)) held++
      } else if (r < 0.65 && queue.waiting > 0) out.push(queue.take(1 + Math.floor(rand() * 4), 100))
      else if (r < 0.75 && out.length > 0) queue.park(out[Math.floor(rand() * out.length)] as Batch)
      else if (r < 0.9 && out.length > 0) {
        const [batch] = out.splice(Math.floor(rand() * out.length), 1) as [Batch]
        if (rand() < 0.5) queue.delivered(batch)
        else queue.dropBatch(batch, 'http-400')
      } else if (r < 0.91) {
        queue.dropAll('close-timeout')
        out.splice(0)
      }
      const positions = queue.held().items.map((item) => Number(item.slice(0, 5)))
      const front = positions.length === 0 ? held : Math.min(...positions)
      if (queue.endPosition !== held) violations.push(`seed ${seed} step ${step}: end ${queue.endPosition} != ${held}`)
      if (queue.frontPosition !== front)
        violations.push(`seed ${seed} step ${step}: front ${queue.frontPosition} != ${front}`)
    }
    overflowed += counters.snapshot().dropped.overflow ?? 0
  }
  t.ok(overflowed > 100, `the runs overflowed (${overflowed} records)`)
  t.same(violations, [], 'endPosition and frontPosition agree with the records held, at every step')
})

t.test('narrow: a batch answered record by record keeps only the records to retry, in its place', async (t) => {
  const released: string[] = []
  const counters = new DeliveryCounters('q')
  const queue = new BatchQueue<string>(counters, {
    maxBytes: 100,
    maxItemBytes: 100,
    overflow: 'drop-oldest',
    holder: { retain: () => {}, release: (item, count) => released.push(`${item}x${count}`) },
  })
  for (const s of ['a1', 'a2', 'a3', 'a4', 'b1']) queue.push(s)
  const a = queue.take(4, 100)
  const b = queue.take(4, 100)
  // The endpoint took a1, refused a3 for good, asked for a2 and a4 again.
  counters.delivered += 1
  counters.drop('refused', 1)
  queue.narrow(a, [1, 3])
  t.same([a.items, [...a.sizes], a.bytes], [['a2', 'a4'], [2, 2], 4], 'the kept records, their sizes and bytes')
  t.same(released, ['a1x1', 'a3x1'], 'the others are let go at once')
  t.same([queue.length, queue.bytes, counters.buffered], [3, 6, 3], 'held: a2, a4 and b1')
  t.equal(queue.frontPosition, 0, 'the batch keeps its place: nothing before it is acknowledged')
  t.equal(queue.delivered(b), 0, 'a is still out: b releases nothing yet')
  t.equal(queue.delivered(a), 5, 'then all of a as taken, and b')
  t.equal(counters.received, counters.delivered + counters.droppedTotal + counters.buffered)
})
