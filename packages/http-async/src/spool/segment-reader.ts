import { closeSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { FRAME_HEADER_BYTES } from './segment-format.js'

/** A record read back: bytes `[start, start + length)` of `block`. */
export type OnSpooledRecord = (block: Buffer, start: number, length: number) => void

/** One segment file, as the store counts it. */
export interface Segment {
  readonly n: number
  /** Bytes of whole frames in it. */
  bytes: number
  frames: number
}

/** The path of segment `n` in `dir`: `00000001.seg`, `00000002.seg`... */
export const segmentPath = (dir: string, n: number): string => join(dir, `${String(n).padStart(8, '0')}.seg`)

// One read(2) brings back at most this much (more records per call, one Buffer for all).
const READ_BLOCK_BYTES = 256 * 1024

/**
 * The read side of the segment store: where the next read starts (a segment, and a frame and
 * byte offset in it), and the records read into memory and not yet acknowledged (`out`).
 */
export class SegmentReader {
  readonly #dir: string
  /** The store's segments, oldest first (the same list, as the store changes it). */
  readonly #segments: readonly Segment[]
  #segment: Segment
  #frame: number
  #offset: number
  /** A descriptor for reading, kept while reading goes on in the same segment. */
  #fd: { readonly segment: Segment; readonly fd: number } | undefined
  /** Records read into memory and not yet acknowledged. */
  out = 0

  constructor(dir: string, segments: readonly Segment[], frame: number, offset: number) {
    this.#dir = dir
    this.#segments = segments
    this.#segment = segments[0] as Segment
    this.#frame = frame
    this.#offset = offset
  }

  /** Reading goes on at `frame` (`offset` bytes in) of `segment`: everything before was read. */
  moveTo(segment: Segment, frame: number, offset: number): void {
    this.#segment = segment
    this.#frame = frame
    this.#offset = offset
  }

  /**
   * Reads records back, oldest first, giving each to `onRecord`, until about `roomBytes` of
   * payload (at least one record, whatever its size) or none is left unread (`unread()`).
   */
  read(roomBytes: number, onRecord: OnSpooledRecord, unread: () => number): void {
    let room = roomBytes
    let first = true
    while (unread() > 0 && (room > 0 || first)) {
      let segment = this.#segment
      // Read to its end: on to the next (a segment may hold no whole frame at all).
      while (this.#frame === segment.frames) {
        segment = this.#segments[this.#segments.indexOf(segment) + 1] as Segment
        this.#segment = segment
        this.#frame = 0
        this.#offset = 0
      }
      const left = segment.bytes - this.#offset
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
        this.#frame++
        this.out++
      }
      this.#offset += at
    }
  }

  #readAt(segment: Segment, size: number): Buffer {
    const block = Buffer.allocUnsafe(size)
    // The open segment is read through a descriptor of its own (the append one is write-only).
    if (this.#fd?.segment !== segment) {
      this.close()
      this.#fd = { segment, fd: openSync(segmentPath(this.#dir, segment.n), 'r') }
    }
    readSync(this.#fd.fd, block, 0, size, this.#offset)
    return block
  }

  /** `oldest` was just taken off the store's list: reading goes on in the next one. */
  forget(oldest: Segment): void {
    if (this.#segment === oldest) this.moveTo(this.#segments[0] as Segment, 0, 0)
    if (this.#fd?.segment === oldest) this.close()
  }

  /** Lets go of the read descriptor (reading opens it again). */
  close(): void {
    if (this.#fd) closeSync(this.#fd.fd)
    this.#fd = undefined
  }
}
