import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { AckCursor } from './cursor.js'
import { DIR_MODE, FILE_MODE } from './lock.js'
import { decodeSegment, FRAME_HEADER_BYTES, writeFrame } from './segment-format.js'

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

/** A record read back: bytes `[start, start + length)` of `block`. */
export type OnSpooledRecord = (block: Buffer, start: number, length: number) => void

const SEGMENT = /^(\d{8})\.seg$/
const name = (n: number) => `${String(n).padStart(8, '0')}.seg`
// One read(2) brings back at most this much (more records per call, one Buffer for all).
const READ_BLOCK_BYTES = 256 * 1024
const INITIAL_STAGE_BYTES = 64 * 1024
const MAX_KEPT_STAGE_BYTES = 1024 * 1024

interface Segment {
  readonly n: number
  /** Bytes of whole frames in it. */
  bytes: number
  frames: number
}

export class SegmentStore {
  readonly #dir: string
  readonly #maxBytes: number
  readonly #segmentBytes: number
  readonly #segments: Segment[]
  /** Frames acknowledged in the oldest segment. */
  #acked: number
  /** Records read into memory and not yet acknowledged. */
  #out = 0
  /** Of those, records whose segment maxBytes deleted: acknowledged first, touching no cursor. */
  #orphans = 0
  /** Where the next read starts: a segment, and a frame and byte offset in it. */
  #readSegment: Segment
  #readFrame: number
  #readOffset: number
  #fd: number
  readonly #cursor: AckCursor
  /** A descriptor for reading, kept while reading goes on in the same segment. */
  #readFd: { readonly segment: Segment; readonly fd: number } | undefined
  /** Frames appended since the last commit, back to back. */
  #stage = Buffer.allocUnsafe(INITIAL_STAGE_BYTES)
  #stagedBytes = 0
  #stagedFrames = 0
  /** Of the staged records, the first `#stagedHeld` went straight to memory (see `append`). */
  #stagedHeld = 0
  #stagedHeldBytes = 0
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
    this.#readSegment = segments[0] as Segment
    this.#readFrame = acked
    this.#readOffset = ackedOffset
    this.#bytes = segments.reduce((n, s) => n + s.bytes, 0)
    this.#frames = segments.reduce((n, s) => n + s.frames, 0)
    const last = segments.at(-1) as Segment
    this.#fd = openSync(join(this.#dir, name(last.n)), 'a', FILE_MODE)
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
      const path = join(options.dir, name(n))
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
    return this.pending - this.#out
  }

  /** Unacknowledged records deleted to keep within maxBytes, since the last call; resets it. */
  takeDropped(): number {
    const n = this.#droppedFrames
    this.#droppedFrames = 0
    return n
  }

  /** Nothing waits on disk to be read: a new record may go straight to memory. */
  get caughtUp(): boolean {
    return this.unread === 0 && this.#stagedFrames === this.#stagedHeld
  }

  /**
   * Stages one record, bytes `[start, end)` of `source` (copied into the staging buffer, framed:
   * no allocation per record); `commit()` writes what is staged. `held`: the caller also holds
   * it in memory already (allowed only while `caughtUp`), so it counts as read.
   */
  append(source: Uint8Array, held = false, start = 0, end = source.length): void {
    if (held && !this.caughtUp) throw new Error('SegmentStore.append: held while records wait to be read')
    const need = this.#stagedBytes + FRAME_HEADER_BYTES + (end - start)
    if (need > this.#stage.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * this.#stage.length))
      this.#stage.copy(grown, 0, 0, this.#stagedBytes)
      this.#stage = grown
    }
    this.#stagedBytes = writeFrame(this.#stage, this.#stagedBytes, source, start, end)
    this.#stagedFrames++
    if (held) {
      this.#stagedHeld++
      this.#stagedHeldBytes = this.#stagedBytes
    }
  }

  /**
   * Gives up what is staged (a write failed): the records not held in memory go to `onRecord`
   * (from a copy: the staging buffer is reused); returns how many went.
   */
  abandonStaged(onRecord: OnSpooledRecord): number {
    const copy = Buffer.from(this.#stage.subarray(this.#stagedHeldBytes, this.#stagedBytes))
    let given = 0
    for (let at = 0; at < copy.length; given++) {
      const length = copy.readUInt32BE(at)
      onRecord(copy, at + FRAME_HEADER_BYTES, length)
      at += FRAME_HEADER_BYTES + length
    }
    this.#stagedBytes = 0
    this.#stagedFrames = 0
    this.#stagedHeld = 0
    this.#stagedHeldBytes = 0
    return given
  }

  /**
   * Writes the staged records in one write (in the current segment, or a fresh one once it is
   * over segmentBytes); then the oldest segments go while the spool is over maxBytes.
   */
  commit(): void {
    const frames = this.#stagedFrames
    if (frames === 0) return
    let last = this.#segments.at(-1) as Segment
    if (last.bytes >= this.#segmentBytes) {
      closeSync(this.#fd)
      last = { n: last.n + 1, bytes: 0, frames: 0 }
      this.#segments.push(last)
      this.#fd = openSync(join(this.#dir, name(last.n)), 'a', FILE_MODE)
    }
    const bytes = this.#stagedBytes
    writeSync(this.#fd, this.#stage, 0, bytes)
    const startOffset = last.bytes
    last.bytes += bytes
    last.frames += frames
    this.#bytes += bytes
    this.#frames += frames
    const held = this.#stagedHeld
    if (held > 0) {
      // Everything before them was read: reading goes on after the held ones.
      this.#readSegment = last
      this.#readFrame = last.frames - frames + held
      this.#readOffset = startOffset + this.#stagedHeldBytes
      this.#out += held
    }
    this.#stagedBytes = 0
    this.#stagedFrames = 0
    this.#stagedHeld = 0
    this.#stagedHeldBytes = 0
    // A chunk far larger than usual: let its buffer go.
    if (this.#stage.length > MAX_KEPT_STAGE_BYTES) this.#stage = Buffer.allocUnsafe(INITIAL_STAGE_BYTES)
    while (this.#bytes > this.#maxBytes && this.#segments.length > 1) this.#dropOldest()
  }

  /**
   * Reads unread records back, oldest first, giving each to `onRecord`, until about
   * `roomBytes` of payload (at least one record, whatever its size) or none is left.
   */
  read(roomBytes: number, onRecord: OnSpooledRecord): void {
    let room = roomBytes
    let first = true
    while (this.unread > 0 && (room > 0 || first)) {
      let segment = this.#readSegment
      // Read to its end: on to the next (a segment may hold no whole frame at all).
      while (this.#readFrame === segment.frames) {
        segment = this.#segments[this.#segments.indexOf(segment) + 1] as Segment
        this.#readSegment = segment
        this.#readFrame = 0
        this.#readOffset = 0
      }
      const left = segment.bytes - this.#readOffset
      let size = Math.min(left, READ_BLOCK_BYTES, Math.max(room, FRAME_HEADER_BYTES) + FRAME_HEADER_BYTES)
      let block = this.#readAt(segment, size)
      let frameBytes = FRAME_HEADER_BYTES + block.readUInt32BE(0)
      if (frameBytes > size) {
        // A record larger than the block: read it whole.
        size = frameBytes
        block = this.#readAt(segment, size)
      }
      let at = 0
      while (at + FRAME_HEADER_BYTES <= size && (room > 0 || first)) {
        frameBytes = FRAME_HEADER_BYTES + block.readUInt32BE(at)
        if (at + frameBytes > size) break
        const length = frameBytes - FRAME_HEADER_BYTES
        onRecord(block, at + FRAME_HEADER_BYTES, length)
        first = false
        room -= length
        at += frameBytes
        this.#readFrame++
        this.#out++
      }
      this.#readOffset += at
    }
  }

  #readAt(segment: Segment, size: number): Buffer {
    const block = Buffer.allocUnsafe(size)
    // The open segment is read through a descriptor of its own (the append one is write-only).
    if (this.#readFd?.segment !== segment) {
      this.#closeReadFd()
      this.#readFd = { segment, fd: openSync(join(this.#dir, name(segment.n)), 'r') }
    }
    readSync(this.#readFd.fd, block, 0, size, this.#readOffset)
    return block
  }

  #closeReadFd(): void {
    if (this.#readFd) closeSync(this.#readFd.fd)
    this.#readFd = undefined
  }

  #dropOldest(): void {
    const oldest = this.#segments.shift() as Segment
    const unacked = oldest.frames - this.#acked
    const inMemory = Math.min(this.#out - this.#orphans, unacked)
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
    if (this.#readSegment === oldest) {
      this.#readSegment = this.#segments[0] as Segment
      this.#readFrame = 0
      this.#readOffset = 0
    }
    if (this.#readFd?.segment === oldest) this.#closeReadFd()
  }

  /**
   * The cursor first, then the files: a kill between them leaves segments behind the cursor,
   * which the next open deletes. The counts are settled before (a failing delete leaves them
   * right).
   */
  #delete(spent: readonly Segment[]): void {
    this.#writeCursor()
    for (const segment of spent) unlinkSync(join(this.#dir, name(segment.n)))
  }

  /** The `n` oldest records read were delivered (or dropped): the cursor moves, spent segments go. */
  ack(n: number): void {
    this.#out -= n
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
    this.#closeReadFd()
    this.#cursor.close()
  }
}
