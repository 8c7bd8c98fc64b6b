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
  const filler = 'x'.repeat(Math.floor(SLAB_BYTES / 3))
  const c = arena.encode(filler)
  t.not(c.slab, a.slab, 'no room left: a fresh slab')
  t.equal(c.start, 0)
  const big = 'y'.repeat(SLAB_BYTES)
  const d = arena.encode(big)
  t.equal(d.slab.length, SLAB_BYTES, 'its own buffer, exactly its bytes')
  t.equal(d.slab.toString(), big)
})
