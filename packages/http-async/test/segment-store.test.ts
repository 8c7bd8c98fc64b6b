import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { SegmentStore } from '../src/spool/segment-store.ts'

const rec = (i: number) => Buffer.from(`{"level":30,"i":${i}}`)
const ids = (payloads: Buffer[]) => payloads.map((p) => (JSON.parse(p.toString()) as { i: number }).i)
const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort()

t.test('what a killed process appended and nobody acknowledged comes back, oldest first', async (t) => {
  const dir = tempDir()
  const first = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.same(first.leftovers, [])
  for (let i = 0; i < 5; i++) first.store.append(rec(i))
  t.equal(first.store.pending, 5)
  // No close, no ack: as after kill -9.
  const second = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.same(ids(second.leftovers), [0, 1, 2, 3, 4])
  t.equal(second.damaged, 0)
  t.equal(second.store.pending, 5, 'the leftovers are still pending until acknowledged')
  second.store.append(rec(5))
  t.same(segments(dir), ['00000001.seg', '00000002.seg'], 'appends go to a fresh segment')
  second.store.close()
  first.store.close()
})

t.test('acknowledged records do not come back; spent segments are deleted', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6, segmentBytes: 60 })
  for (let i = 0; i < 10; i++) store.append(rec(i))
  const before = segments(dir).length
  t.ok(before > 2, `rotated into ${before} segments`)
  store.ack(7)
  t.equal(store.pending, 3)
  t.ok(segments(dir).length < before, 'fully acknowledged segments are gone')
  const again = SegmentStore.open({ dir, maxBytes: 1e6, segmentBytes: 60 })
  t.same(ids(again.leftovers), [7, 8, 9])
  again.store.ack(3)
  t.equal(again.store.pending, 0)
  const third = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.same(third.leftovers, [])
  for (const s of [store, again.store, third.store]) s.close()
})

t.test('maxBytes: the oldest segments go, their unacknowledged records counted as dropped', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 200, segmentBytes: 60 })
  for (let i = 0; i < 20; i++) store.append(rec(i))
  t.ok(store.bytes <= 200, `${store.bytes} bytes on disk`)
  const dropped = store.takeDropped()
  t.ok(dropped > 0)
  t.equal(store.takeDropped(), 0, 'taken once')
  t.equal(store.pending + dropped, 20, 'every record pending or counted dropped')
  const reopened = SegmentStore.open({ dir, maxBytes: 200, segmentBytes: 60 })
  t.same(
    ids(reopened.leftovers),
    Array.from({ length: 20 - dropped }, (_, k) => k + dropped),
    'the newest survive',
  )
  store.close()
  reopened.store.close()
})

t.test('dropping a partly acknowledged segment counts only its unacknowledged records', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 130, segmentBytes: 60 })
  for (let i = 0; i < 3; i++) store.append(rec(i))
  store.ack(1)
  for (let i = 3; i < 8; i++) store.append(rec(i))
  t.equal(store.pending + store.takeDropped(), 7)
  store.close()
})

t.test('a torn last write is detected and skipped; the whole frames before it come back', async (t) => {
  const dir = tempDir()
  const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
  for (let i = 0; i < 3; i++) store.append(rec(i))
  store.close()
  appendFileSync(join(dir, '00000001.seg'), Buffer.from([0, 0, 0, 40, 1, 2]))
  const reopened = SegmentStore.open({ dir, maxBytes: 1e6 })
  t.same(ids(reopened.leftovers), [0, 1, 2])
  t.equal(reopened.damaged, 1)
  reopened.store.close()
})

t.test(
  'an empty or unreadable cursor means nothing acknowledged; a segment left behind the cursor is removed',
  async (t) => {
    const dir = tempDir()
    const { store } = SegmentStore.open({ dir, maxBytes: 1e6 })
    store.append(rec(0))
    store.close()
    writeFileSync(join(dir, 'cursor'), '')
    t.same(ids(SegmentStore.open({ dir, maxBytes: 1e6 }).leftovers), [0])
    writeFileSync(join(dir, 'cursor'), '{"segment":"x"}')
    t.same(ids(SegmentStore.open({ dir, maxBytes: 1e6 }).leftovers), [0])
    // A kill between writing the cursor and deleting the spent segment.
    writeFileSync(join(dir, 'cursor'), '{"segment":2,"frames":0}')
    const after = SegmentStore.open({ dir, maxBytes: 1e6 })
    t.same(after.leftovers, [])
    t.notOk(existsSync(join(dir, '00000001.seg')))
    after.store.close()
  },
)
