import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { AckCursor } from '../src/spool/cursor.ts'
import { SegmentStore } from '../src/spool/segment-store.ts'

const rec = (i: number) => Buffer.from(`{"level":30,"i":${i}}`)
const id = (block: Buffer, start: number, length: number) =>
  (JSON.parse(block.toString('utf8', start, start + length)) as { i: number }).i
const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort()

/** Appends records `from..to-1`, none held in memory, one commit each (as one chunk each). */
function write(store: SegmentStore, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    store.append(rec(i))
    store.commit()
  }
}

/** Reads back up to `room` bytes of records; their ids. */
function read(store: SegmentStore, room = Number.POSITIVE_INFINITY): number[] {
  const ids: number[] = []
  store.read(room, (block, start, length) => ids.push(id(block, start, length)))
  return ids
}

t.test('what a killed process appended and nobody acknowledged comes back, oldest first', async (t) => {
  const dir = tempDir()
  const first = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(first.leftovers, 0)
  write(first.store, 0, 5)
  t.equal(first.store.pending, 5)
  t.equal(first.store.unread, 5)
  // No close, no ack: as after kill -9.
  const second = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(second.leftovers, 5)
  t.equal(second.damaged, 0)
  t.same(read(second.store), [0, 1, 2, 3, 4])
  t.equal(second.store.pending, 5, 'read back, still pending until acknowledged')
  t.equal(second.store.unread, 0)
  write(second.store, 5, 6)
  t.same(segments(dir), ['00000001.seg', '00000002.seg'], 'appends go to a fresh segment')
  second.store.close()
  first.store.close()
})

t.test('staged records are written by commit, in one write, and only then can be read', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
  store.append(rec(0))
  store.append(rec(1))
  t.equal(store.unread, 0, 'staged, not yet on disk')
  t.notOk(store.caughtUp, 'a staged record waits to be read')
  store.commit()
  store.commit()
  t.same(read(store), [0, 1])
  t.ok(store.caughtUp)
  store.close()
})

t.test('records held in memory as they arrive are not read back; reading resumes after them', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
  store.append(rec(0), true)
  store.append(rec(1), true)
  store.append(rec(2))
  t.throws(() => store.append(rec(3), true), /held while records wait/, 'a held record may not overtake one on disk')
  store.commit()
  t.equal(store.pending, 3)
  t.equal(store.unread, 1)
  t.same(read(store), [2])
  store.ack(3)
  t.equal(store.pending, 0)
  store.close()
  t.equal(SegmentStore.open({ dir, maxBytes: 1e6 }).leftovers, 0)
})

t.test('reading stops at the room given, but always brings at least one record', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6, segmentBytes: 60 })
  write(store, 0, 10)
  const size = rec(0).length
  t.same(read(store, 0), [0], 'no room: still one, so a record larger than the room moves')
  t.same(read(store, 2 * size), [1, 2])
  t.same(read(store), [3, 4, 5, 6, 7, 8, 9], 'across segments')
  t.same(read(store), [], 'nothing left')
  store.close()
})

t.test('a record larger than a read block is read whole', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 4e6 })
  // Over 1 MiB: the staging buffer grows for it, then is let go.
  const big = Buffer.alloc(1_200_000, 0x61)
  store.append(big)
  store.append(rec(1))
  store.commit()
  const lengths: number[] = []
  store.read(10, (_block, _start, length) => lengths.push(length))
  t.same(lengths, [1_200_000])
  t.same(read(store), [1])
  store.close()
})

t.test('acknowledged records do not come back; spent segments are deleted', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6, segmentBytes: 60 })
  write(store, 0, 10)
  const before = segments(dir).length
  t.ok(before > 2, `rotated into ${before} segments`)
  t.same(read(store), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  store.ack(7)
  t.equal(store.pending, 3)
  t.ok(segments(dir).length < before, 'fully acknowledged segments are gone')
  const again = SegmentStore.open({ dir, maxBytes: 1e6, segmentBytes: 60 })
  t.equal(again.leftovers, 3)
  t.same(read(again.store), [7, 8, 9], 'the cursor points into a segment: its acknowledged frames are skipped')
  again.store.ack(3)
  t.equal(again.store.pending, 0)
  const third = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(third.leftovers, 0)
  for (const s of [store, again.store, third.store]) s.close()
})

t.test('maxBytes: the oldest segments go, their unread records counted as dropped', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 200, segmentBytes: 60 })
  write(store, 0, 20)
  t.ok(store.bytes <= 200, `${store.bytes} bytes on disk`)
  const dropped = store.takeDropped()
  t.ok(dropped > 0)
  t.equal(store.takeDropped(), 0, 'taken once')
  t.equal(store.pending + dropped, 20, 'every record pending or counted dropped')
  const survivors = Array.from({ length: 20 - dropped }, (_, k) => k + dropped)
  t.same(read(store), survivors, 'the newest survive, and are read from where they start')
  const reopened = SegmentStore.open({ dir, maxBytes: 200, segmentBytes: 60 })
  t.same(read(reopened.store), survivors)
  store.close()
  reopened.store.close()
})

t.test('maxBytes: records already read into memory are not counted dropped with their segment', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 200, segmentBytes: 60 })
  write(store, 0, 2)
  t.same(read(store), [0, 1], 'in memory (as if in the delivery queue)')
  write(store, 2, 20)
  const dropped = store.takeDropped()
  t.equal(store.pending + dropped, 20, 'the two in memory are still pending: they will be delivered')
  t.same(read(store)[0], 2 + dropped, 'reading resumes at the oldest record left on disk')
  // Delivering the two in memory touches no segment left on disk.
  store.ack(2)
  t.equal(store.pending + dropped, 18)
  store.close()
})

t.test('dropping a partly acknowledged segment counts only its unacknowledged records', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 130, segmentBytes: 60 })
  write(store, 0, 3)
  t.same(read(store, 0), [0])
  store.ack(1)
  write(store, 3, 8)
  t.equal(store.pending + store.takeDropped(), 7)
  store.close()
})

t.test('a torn last write is detected and skipped; the whole frames before it come back', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
  write(store, 0, 3)
  store.close()
  appendFileSync(join(dir, '00000001.seg'), Buffer.from([0, 0, 0, 40, 1, 2]))
  const reopened = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(reopened.damaged, 1)
  write(reopened.store, 3, 4)
  t.same(read(reopened.store), [0, 1, 2, 3], 'reading skips the torn bytes and goes on in the next segment')
  reopened.store.close()
})

t.test('a segment with no whole frame at all is passed over', async (t) => {
  const dir = tempDir()
  writeFileSync(join(dir, '00000001.seg'), Buffer.from([0, 0, 0, 40, 1]))
  const { store, damaged } = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(damaged, 1)
  write(store, 0, 2)
  t.same(read(store), [0, 1])
  store.ack(2)
  t.equal(store.pending, 0)
  store.close()
})

t.test('a segment left behind the cursor (a kill between the cursor and the delete) is removed', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
  write(store, 0, 1)
  store.close()
  const { cursor } = AckCursor.open(dir)
  cursor.write({ segment: 2, frames: 0 })
  cursor.close()
  const after = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.equal(after.leftovers, 0)
  t.notOk(existsSync(join(dir, '00000001.seg')))
  after.store.close()
})
