import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { AckCursor } from '../src/spool/cursor.ts'

t.test('a new cursor holds no position; the last one written is read back', async (t) => {
  const dir = tempDir()
  const first = AckCursor.open(dir)
  t.equal(first.position, undefined)
  first.cursor.write({ segment: 1, frames: 5 })
  first.cursor.write({ segment: 1, frames: 9 })
  first.cursor.write({ segment: 3, frames: 2 })
  first.cursor.close()
  const second = AckCursor.open(dir)
  t.same(second.position, { segment: 3, frames: 2 })
  second.cursor.write({ segment: 4, frames: 0 })
  second.cursor.close()
  t.same(AckCursor.open(dir).position, { segment: 4, frames: 0 }, 'sequence numbers go on across opens')
})

t.test('a torn write spoils one slot: the other still holds the position before it', async (t) => {
  const dir = tempDir()
  const { cursor } = AckCursor.open(dir)
  cursor.write({ segment: 1, frames: 5 })
  cursor.write({ segment: 1, frames: 9 })
  cursor.close()
  const bytes = readFileSync(join(dir, 'cursor'))
  t.equal(bytes.length, 32, 'two 16-byte slots')
  // The newer write (sequence 2, the first slot) torn: its frames half written.
  bytes.writeUInt8(bytes.readUInt8(8) ^ 0xff, 8)
  writeFileSync(join(dir, 'cursor'), bytes)
  t.same(AckCursor.open(dir).position, { segment: 1, frames: 5 })
})

t.test('a cursor file of garbage, or cut short, holds no position (nothing acknowledged)', async (t) => {
  const dir = tempDir()
  writeFileSync(join(dir, 'cursor'), '{"segment":2,"frames":0}')
  t.equal(AckCursor.open(dir).position, undefined)
  writeFileSync(join(dir, 'cursor'), Buffer.alloc(7))
  t.equal(AckCursor.open(dir).position, undefined)
})
