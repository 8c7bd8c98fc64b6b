import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { decodeSegment, encodeFrame } from './segment-format.js'

/**
 * The durable spool's files (issue 7, part 2; not yet wired into the transport): records are
 * appended to numbered segment files before they count as accepted, and removed only once
 * acknowledged. What a killed process left is read back, oldest first, on open.
 *
 * - Segments `00000001.seg`, `00000002.seg`... rotate at `segmentBytes`.
 * - Acknowledgement is a cursor, (segment, frames acknowledged in it), in `cursor`, replaced
 *   atomically (write a temporary file, rename): a kill leaves the old or the new one, so only
 *   the records after the last acknowledged batch come again (at-least-once).
 * - `maxBytes` bounds the disk: past it the oldest segments are deleted, their unacknowledged
 *   records counted as dropped.
 * Appends are plain write(2)s: the page cache survives a killed process; fsync (power loss) is
 * not attempted per record.
 */
export interface SegmentStoreOptions {
  readonly dir: string
  readonly maxBytes: number
  readonly segmentBytes?: number
}

export interface OpenedSpool {
  readonly store: SegmentStore
  /** Records an earlier process appended and nobody acknowledged, oldest first. */
  readonly leftovers: Buffer[]
  /** Segments whose tail was torn or corrupt (reported by the caller; the whole frames are kept). */
  readonly damaged: number
}

const SEGMENT = /^(\d{8})\.seg$/
const name = (n: number) => `${String(n).padStart(8, '0')}.seg`

interface Segment {
  readonly n: number
  bytes: number
  /** Frames in it. */
  frames: number
}

export class SegmentStore {
  readonly #dir: string
  readonly #maxBytes: number
  readonly #segmentBytes: number
  readonly #segments: Segment[]
  /** Frames acknowledged in the oldest segment. */
  #acked: number
  #fd: number
  #droppedFrames = 0

  private constructor(options: SegmentStoreOptions, segments: Segment[], acked: number) {
    this.#dir = options.dir
    this.#maxBytes = options.maxBytes
    this.#segmentBytes = options.segmentBytes ?? 1024 * 1024
    this.#segments = segments
    this.#acked = acked
    const last = segments.at(-1) as Segment
    this.#fd = openSync(join(this.#dir, name(last.n)), 'a')
  }

  /** Opens (or creates) the spool in `dir` and reads back what an earlier process left. */
  static open(options: SegmentStoreOptions): OpenedSpool {
    mkdirSync(options.dir, { recursive: true })
    const numbers = readdirSync(options.dir)
      .map((f) => SEGMENT.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const cursor = readCursor(options.dir)
    const leftovers: Buffer[] = []
    const segments: Segment[] = []
    let damaged = 0
    let acked = 0
    for (const n of numbers) {
      const path = join(options.dir, name(n))
      // Segments before the cursor's are fully acknowledged: a kill came between the cursor and the delete.
      if (cursor && n < cursor.segment) {
        unlinkSync(path)
        continue
      }
      const decoded = decodeSegment(readFileSync(path))
      if (decoded.damage) damaged++
      const skip = cursor && n === cursor.segment ? Math.min(cursor.frames, decoded.payloads.length) : 0
      if (segments.length === 0) acked = skip
      leftovers.push(...decoded.payloads.slice(skip))
      segments.push({ n, bytes: decoded.validBytes, frames: decoded.payloads.length })
    }
    // Appends go to a fresh segment: a torn tail is never written after.
    segments.push({ n: (numbers.at(-1) ?? 0) + 1, bytes: 0, frames: 0 })
    return { store: new SegmentStore(options, segments, acked), leftovers, damaged }
  }

  /** Bytes on disk (whole frames). */
  get bytes(): number {
    return this.#segments.reduce((n, s) => n + s.bytes, 0)
  }

  /** Records appended and not yet acknowledged (nor dropped). */
  get pending(): number {
    return this.#segments.reduce((n, s) => n + s.frames, 0) - this.#acked
  }

  /** Unacknowledged records deleted to keep within maxBytes, since the last call; resets it. */
  takeDropped(): number {
    const n = this.#droppedFrames
    this.#droppedFrames = 0
    return n
  }

  /** Appends one record (one write). Oldest segments go when the spool is over maxBytes. */
  append(payload: Uint8Array): void {
    let last = this.#segments.at(-1) as Segment
    if (last.bytes >= this.#segmentBytes) {
      closeSync(this.#fd)
      last = { n: last.n + 1, bytes: 0, frames: 0 }
      this.#segments.push(last)
      this.#fd = openSync(join(this.#dir, name(last.n)), 'a')
    }
    const frame = encodeFrame(payload)
    writeSync(this.#fd, frame)
    last.bytes += frame.length
    last.frames++
    while (this.bytes > this.#maxBytes && this.#segments.length > 1) this.#dropOldest()
  }

  #dropOldest(): void {
    const oldest = this.#segments.shift() as Segment
    this.#droppedFrames += oldest.frames - this.#acked
    this.#acked = 0
    unlinkSync(join(this.#dir, name(oldest.n)))
    this.#writeCursor()
  }

  /** The `n` oldest pending records were delivered: the cursor moves, spent segments go. */
  ack(n: number): void {
    let left = n
    while (left > 0) {
      const oldest = this.#segments[0] as Segment
      const take = Math.min(left, oldest.frames - this.#acked)
      this.#acked += take
      left -= take
      const current = this.#segments.length === 1
      if (this.#acked < oldest.frames || current) break
      this.#segments.shift()
      this.#acked = 0
      this.#writeCursor()
      unlinkSync(join(this.#dir, name(oldest.n)))
    }
    this.#writeCursor()
  }

  #writeCursor(): void {
    const oldest = this.#segments[0] as Segment
    const tmp = join(this.#dir, 'cursor.tmp')
    const fd = openSync(tmp, 'w')
    writeSync(fd, JSON.stringify({ segment: oldest.n, frames: this.#acked }))
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, join(this.#dir, 'cursor'))
  }

  close(): void {
    closeSync(this.#fd)
  }
}

function readCursor(dir: string): { segment: number; frames: number } | undefined {
  try {
    if (statSync(join(dir, 'cursor')).size === 0) return undefined
    const parsed = JSON.parse(readFileSync(join(dir, 'cursor'), 'utf8')) as { segment?: unknown; frames?: unknown }
    if (typeof parsed.segment === 'number' && typeof parsed.frames === 'number') {
      return { segment: parsed.segment, frames: parsed.frames }
    }
  } catch {
    // No cursor yet (or unreadable): nothing acknowledged.
  }
  return undefined
}
