import { BatchQueue, DeliveryCounters } from '@pino-advanced/core'
import t from 'tap'
import { SLAB_BYTES, TextArena } from '../src/text-arena.ts'

t.test('lines share a slab until it is full; a text too large for one gets its own buffer', async (t) => {
  const arena = new TextArena()
  const a = arena.encode('{"a":"é"}\n')
  const b = arena.encode('{"b":2}\n')
  t.equal(a.slab, b.slab, 'one slab for both')
  t.equal(a.slab.toString('utf8', a.start, a.end), '{"a":"é"}\n')
  t.equal(b.start, a.end)
  t.equal(b.slab.toString('utf8', b.start, b.end), '{"b":2}\n')
  arena.retain(a.slab)
  const filler = 'x'.repeat(Math.floor(SLAB_BYTES / 3))
  const c = arena.encode(filler)
  t.not(c.slab, a.slab, 'no room left, and a record held in it: a fresh slab')
  t.equal(c.start, 0)
  t.equal(a.slab.toString('utf8', a.start, a.end), '{"a":"é"}\n', 'the held record untouched')
  t.equal(arena.slabs, 2)
  arena.release(a.slab, 1)
  const seen = new Set([a.slab, c.slab])
  for (let i = 0; i < 5; i++) t.ok(seen.has(arena.encode(filler).slab), 'a released slab, written again')
  t.equal(arena.slabs, 2, 'no new slab')
  const big = 'y'.repeat(SLAB_BYTES)
  const d = arena.encode(big)
  t.equal(d.slab.length, SLAB_BYTES, 'its own buffer, exactly its bytes')
  t.equal(d.slab.toString(), big)
})

t.test('slabs are reused once no held record lives in them; reuse never corrupts a held record', async (t) => {
  const arena = new TextArena()
  const counters = new DeliveryCounters('test')
  // 256 KiB: four slabs' worth; overflow drops the oldest, as during an outage.
  const queue = new BatchQueue<Uint8Array>(counters, {
    maxBytes: 256 * 1024,
    maxItemBytes: 1024,
    overflow: 'drop-oldest',
    holder: arena,
  })
  const line = (i: number) => `{"i":${i},"pad":"${String(i).repeat(Math.floor(40 / String(i).length))}"}`
  const check = (batch: { items: readonly Uint8Array[]; offsets: Float64Array; sizes: Float64Array }) => {
    for (let k = 0; k < batch.items.length; k++) {
      const start = batch.offsets[k] as number
      const text = Buffer.from(batch.items[k] as Uint8Array).toString('utf8', start, start + (batch.sizes[k] as number))
      const { i, pad } = JSON.parse(text) as { i: number; pad: string }
      if (pad !== String(i).repeat(Math.floor(40 / String(i).length))) return false
    }
    return true
  }
  let intact = true
  let mostSlabs = 0
  for (let i = 0; i < 50_000; i++) {
    const { slab, start, end } = arena.encode(line(i))
    queue.push(slab, end - start, 0, start)
    mostSlabs = Math.max(mostSlabs, arena.slabs)
    // Now and then a batch goes; some wait for a retry (parked: overflow drops them first), most are delivered.
    if (i % 200 === 199) {
      const batch = queue.take(150, 1e9)
      intact &&= check(batch)
      if (i % 1000 === 999) queue.park(batch)
      else queue.delivered(batch)
    }
  }
  intact &&= check(queue.held())
  t.ok(intact, 'every record read back as it was written')
  t.ok(counters.droppedTotal > 0, 'overflow dropped the oldest')
  t.ok(mostSlabs <= 4 + 2 + 16, `at most ${mostSlabs} slabs for a 256 KiB queue (plus the current and the spares)`)
  t.equal(counters.buffered, queue.length)
  queue.forgetAll()
  // Every slab free: the arena keeps a bounded number of spares.
  for (let i = 0; i < 20_000; i++) arena.encode(line(i))
  t.ok(arena.slabs <= 1 + 16, `${arena.slabs} slabs once nothing is held`)
})
