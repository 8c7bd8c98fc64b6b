import { closeSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { FILE_MODE } from './lock.js'

/** How far the spool is acknowledged: `frames` records of segment `segment` (older ones are spent). */
export interface CursorPosition {
  readonly segment: number
  readonly frames: number
}

// A slot: [sequence u32][segment u32][frames u32][crc32 of the 12 bytes before u32].
const SLOT_BYTES = 16

/**
 * The spool's acknowledgement cursor, rewritten after every delivered batch, so it must be
 * cheap (a temporary file and a rename cost about 2 ms here, per batch) and must survive a kill
 * mid-write. Two checksummed slots are written in turn with one pwrite(2) each: a torn write
 * spoils at most the slot being written, and the other still holds the previous position (at
 * worst a batch comes again: at-least-once). Reading takes the valid slot with the higher
 * sequence number.
 */
export class AckCursor {
  readonly #fd: number
  readonly #slot = Buffer.alloc(SLOT_BYTES)
  #sequence: number

  private constructor(fd: number, sequence: number) {
    this.#fd = fd
    this.#sequence = sequence
  }

  /** Opens (or creates) `dir/cursor`; the position it holds, if any slot is valid. */
  static open(dir: string): { cursor: AckCursor; position: CursorPosition | undefined } {
    const fd = openSync(join(dir, 'cursor'), 'a+', FILE_MODE)
    const bytes = Buffer.alloc(2 * SLOT_BYTES)
    const read = readSync(fd, bytes, 0, bytes.length, 0)
    let best: { sequence: number; position: CursorPosition } | undefined
    for (let at = 0; at + SLOT_BYTES <= read; at += SLOT_BYTES) {
      if (crc32(bytes.subarray(at, at + 12)) !== bytes.readUInt32BE(at + 12)) continue
      const sequence = bytes.readUInt32BE(at)
      if (best === undefined || sequence > best.sequence) {
        best = { sequence, position: { segment: bytes.readUInt32BE(at + 4), frames: bytes.readUInt32BE(at + 8) } }
      }
    }
    closeSync(fd)
    // Reopened for positioned writes ('a' would append whatever the offset).
    const cursor = new AckCursor(openSync(join(dir, 'cursor'), 'r+'), best?.sequence ?? 0)
    return { cursor, position: best?.position }
  }

  write(position: CursorPosition): void {
    const sequence = ++this.#sequence
    const slot = this.#slot
    slot.writeUInt32BE(sequence >>> 0, 0)
    slot.writeUInt32BE(position.segment, 4)
    slot.writeUInt32BE(position.frames, 8)
    slot.writeUInt32BE(crc32(slot.subarray(0, 12)), 12)
    writeSync(this.#fd, slot, 0, SLOT_BYTES, (sequence % 2) * SLOT_BYTES)
  }

  close(): void {
    closeSync(this.#fd)
  }
}
