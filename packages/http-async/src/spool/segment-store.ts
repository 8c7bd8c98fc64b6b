import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { AckCursor } from './cursor.js'
import { DIR_MODE, FILE_MODE } from './lock.js'
import { decodeSegment, FRAME_HEADER_BYTES } from './segment-format.js'
import { type OnSpooledRecord, type Segment, SegmentReader, segmentPath } from './segment-reader.js'
import { StagingBuffer } from './staging-buffer.js'

export type { OnSpooledRecord }

/**
 * The durable spool's files: records are appended to numbered segment files before they count
 * as accepted, read back into memory as the delivery queue has room, and removed only once
 * acknowledged. What a killed process left is read back, oldest first, after open.
 *
 * - Segments `00000001.seg`, `00000002.seg`... rotate at `segmentBytes`.
 * - Appends are staged and written by `commit()`, one write(2) for all of them (the transport
 *   commits once per chunk pino hands it): the page cache survives a killed process; fsync
 *   (power loss) is not attempted per record.
 * - Acknowledgement is a cursor, (segment, frames acknowledged in it), in `cursor` (see
 *   AckCursor): a kill leaves the old or the new position, so only the records after the last
 *   acknowledged batch come again (at-least-once).
 * - `maxBytes` bounds the disk: past it the oldest segments are deleted. Their records not yet
 *   read are counted as dropped; those already in memory stay there (and are delivered), only
 *   no longer on disk.
 */
export interface SegmentStoreOptions {
  readonly dir: string
  readonly maxBytes: number
  readonly segmentBytes?: number
}

export interface OpenedSpool {
  readonly store: SegmentStore
  /** Records an earlier process appended and nobody acknowledged (read them with `read`). */
  readonly leftovers: number
  /** Segments whose tail was torn or corrupt (reported by the caller; the whole frames are kept). */
  readonly damaged: number
}

const SEGMENT = /^(\d{8})\.seg$/

export class SegmentStore {
  readonly #dir: string
  readonly #maxBytes: number
  readonly #segmentBytes: number
  readonly #segments: Segment[]
  /** Frames acknowledged in the oldest segment. */
  #acked: number
  /**
   * Of the records read into memory and not yet acknowledged (the reader's `out`), those whose
   * segment maxBytes deleted: acknowledged first, touching no cursor.
   */
  #orphans = 0
  /** Where the next read starts, and the records read (`out`). */
  readonly #reader: SegmentReader
  #fd: number
  readonly #cursor: AckCursor
  /** Frames appended since the last commit, back to back. */
  readonly #stage = new StagingBuffer()
  #bytes: number
  #frames: number
  #droppedFrames = 0

  private constructor(
    options: SegmentStoreOptions,
    cursor: AckCursor,
    segments: Segment[],
    acked: number,
    ackedOffset: number,
  ) {
    this.#cursor = cursor
    this.#dir = options.dir
    this.#maxBytes = options.maxBytes
    this.#segmentBytes = options.segmentBytes ?? 1024 * 1024
    this.#segments = segments
    this.#acked = acked
    this.#reader = new SegmentReader(options.dir, segments, acked, ackedOffset)
    this.#bytes = segments.reduce((n, s) => n + s.bytes, 0)
    this.#frames = segments.reduce((n, s) => n + s.frames, 0)
    const last = segments.at(-1) as Segment
    this.#fd = openSync(segmentPath(this.#dir, last.n), 'a', FILE_MODE)
  }

  /** Opens (or creates) the spool in `dir`; what an earlier process left is read back first. */
  static open(options: SegmentStoreOptions): OpenedSpool {
    mkdirSync(options.dir, { recursive: true, mode: DIR_MODE })
    const numbers = readdirSync(options.dir)
      .map((f) => SEGMENT.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const { cursor: ackCursor, position: cursor } = AckCursor.open(options.dir)
    const segments: Segment[] = []
    let damaged = 0
    let acked = 0
    let ackedOffset = 0
    for (const n of numbers) {
      const path = segmentPath(options.dir, n)
      // Segments before the cursor's are fully acknowledged: a kill came between the cursor and the delete.
      if (cursor && n < cursor.segment) {
        unlinkSync(path)
        continue
      }
      // One segment at a time: only the counts are kept, the records are read again when sent.
      const decoded = decodeSegment(readFileSync(path))
      if (decoded.damage) damaged++
      if (segments.length === 0 && cursor && n === cursor.segment) {
        acked = Math.min(cursor.frames, decoded.payloads.length)
        for (let i = 0; i < acked; i++) ackedOffset += FRAME_HEADER_BYTES + (decoded.payloads[i] as Buffer).length
      }
      segments.push({ n, bytes: decoded.validBytes, frames: decoded.payloads.length })
    }
    // Appends go to a fresh segment: a torn tail is never written after.
    segments.push({ n: (numbers.at(-1) ?? 0) + 1, bytes: 0, frames: 0 })
    const store = new SegmentStore(options, ackCursor, segments, acked, ackedOffset)
    return { store, leftovers: store.pending, damaged }
  }

  /** Bytes on disk (whole frames). */
  get bytes(): number {
    return this.#bytes
  }

  /** Records on disk not yet acknowledged (nor dropped), those in memory included. */
  get pending(): number {
    return this.#frames - this.#acked + this.#orphans
  }

  /** Records on disk not yet read into memory. */
  get unread(): number {
    return this.pending - this.#reader.out
  }

  /** Unacknowledged records deleted to keep within maxBytes, since the last call; resets it. */
  takeDropped(): number {
    const n = this.#droppedFrames
    this.#droppedFrames = 0
    return n
  }

  /** Nothing waits on disk to be read: a new record may go straight to memory. */
  get caughtUp(): boolean {
    return this.unread === 0 && this.#stage.frames === this.#stage.held
  }

  /**
   * Stages one record, bytes `[start, end)` of `source` (copied into the staging buffer, framed:
   * no allocation per record); `commit()` writes what is staged. `held`: the caller also holds
   * it in memory already (allowed only while `caughtUp`), so it counts as read.
   */
  append(source: Uint8Array, held = false, start = 0, end = source.length): void {
    if (held && !this.caughtUp) throw new Error('SegmentStore.append: held while records wait to be read')
    this.#stage.append(source, held, start, end)
  }

  /**
   * Gives up what is staged (a write failed): the records not held in memory go to `onRecord`
   * (from a copy: the staging buffer is reused); returns how many went.
   */
  abandonStaged(onRecord: OnSpooledRecord): number {
    return this.#stage.abandon(onRecord)
  }

  /**
   * Writes the staged records in one write (in the current segment, or a fresh one once it is
   * over segmentBytes); then the oldest segments go while the spool is over maxBytes.
   */
  commit(): void {
    const stage = this.#stage
    const frames = stage.frames
    if (frames === 0) return
    let last = this.#segments.at(-1) as Segment
    if (last.bytes >= this.#segmentBytes) {
      closeSync(this.#fd)
      last = { n: last.n + 1, bytes: 0, frames: 0 }
      this.#segments.push(last)
      this.#fd = openSync(segmentPath(this.#dir, last.n), 'a', FILE_MODE)
    }
    const bytes = stage.bytes
    writeSync(this.#fd, stage.buffer, 0, bytes)
    const startOffset = last.bytes
    last.bytes += bytes
    last.frames += frames
    this.#bytes += bytes
    this.#frames += frames
    const held = stage.held
    if (held > 0) {
      // Everything before them was read: reading goes on after the held ones.
      this.#reader.moveTo(last, last.frames - frames + held, startOffset + stage.heldBytes)
      this.#reader.out += held
    }
    stage.written()
    while (this.#bytes > this.#maxBytes && this.#segments.length > 1) this.#dropOldest()
  }

  /**
   * Reads unread records back, oldest first, giving each to `onRecord`, until about
   * `roomBytes` of payload (at least one record, whatever its size) or none is left.
   */
  read(roomBytes: number, onRecord: OnSpooledRecord): void {
    this.#reader.read(roomBytes, onRecord, () => this.unread)
  }

  #dropOldest(): void {
    const oldest = this.#segments.shift() as Segment
    const unacked = oldest.frames - this.#acked
    const inMemory = Math.min(this.#reader.out - this.#orphans, unacked)
    this.#orphans += inMemory
    this.#droppedFrames += unacked - inMemory
    this.#forget(oldest)
    this.#delete([oldest])
  }

  /** `oldest`, just taken off the list, is no longer counted, read or acknowledged in. */
  #forget(oldest: Segment): void {
    this.#bytes -= oldest.bytes
    this.#frames -= oldest.frames
    this.#acked = 0
    this.#reader.forget(oldest)
  }

  /**
   * The cursor first, then the files: a kill between them leaves segments behind the cursor,
   * which the next open deletes. The counts are settled before (a failing delete leaves them
   * right).
   */
  #delete(spent: readonly Segment[]): void {
    this.#writeCursor()
    for (const segment of spent) unlinkSync(segmentPath(this.#dir, segment.n))
  }

  /** The `n` oldest records read were delivered (or dropped): the cursor moves, spent segments go. */
  ack(n: number): void {
    this.#reader.out -= n
    const orphans = Math.min(n, this.#orphans)
    this.#orphans -= orphans
    let left = n - orphans
    if (left === 0) return
    const spent: Segment[] = []
    while (left > 0) {
      const oldest = this.#segments[0] as Segment
      const take = Math.min(left, oldest.frames - this.#acked)
      this.#acked += take
      left -= take
      if (this.#acked < oldest.frames || this.#segments.length === 1) break
      this.#segments.shift()
      this.#forget(oldest)
      spent.push(oldest)
    }
    this.#delete(spent)
  }

  #writeCursor(): void {
    this.#cursor.write({ segment: (this.#segments[0] as Segment).n, frames: this.#acked })
  }

  /** Writes what is staged and lets go of the file; unacknowledged records stay for the next open. */
  close(): void {
    this.commit()
    closeSync(this.#fd)
    this.#reader.close()
    this.#cursor.close()
  }
}
