import { crc32 } from 'node:zlib'

/**
 * The on-disk format of the durable spool's segments: a sequence of frames, each
 * `[length u32 BE][crc32 u32 BE][payload]`, appended a chunk's worth per write (see
 * SegmentStore). A process killed mid-write leaves a torn last frame (its length
 * runs past the end, or its checksum does not match): reading stops there, reports it, and
 * never throws, so a restart delivers every whole frame before it.
 */
export const FRAME_HEADER_BYTES = 8

/**
 * Writes the frame of `source[start, end)` into `target` at `at` (which must have room);
 * returns where the frame ends.
 */
export function writeFrame(target: Buffer, at: number, source: Uint8Array, start: number, end: number): number {
  const length = end - start
  const payloadAt = at + FRAME_HEADER_BYTES
  target.set(source.subarray(start, end), payloadAt)
  const payload = target.subarray(payloadAt, payloadAt + length)
  target.writeUInt32BE(length, at)
  target.writeUInt32BE(crc32(payload), at + 4)
  return payloadAt + length
}

export interface DecodedSegment {
  /** The payloads of the whole frames, in order (views into the segment's bytes). */
  readonly payloads: Buffer[]
  /** Bytes of whole frames from the start: where the next append belongs. */
  readonly validBytes: number
  /** What stopped the reading before the end, if anything. */
  readonly damage?: 'torn' | 'checksum'
}

/** The whole frames of a segment's bytes, stopping at the first torn or corrupt one. */
export function decodeSegment(bytes: Buffer): DecodedSegment {
  const payloads: Buffer[] = []
  let at = 0
  while (at < bytes.length) {
    if (bytes.length - at < FRAME_HEADER_BYTES) return { payloads, validBytes: at, damage: 'torn' }
    const length = bytes.readUInt32BE(at)
    const end = at + FRAME_HEADER_BYTES + length
    if (end > bytes.length) return { payloads, validBytes: at, damage: 'torn' }
    const payload = bytes.subarray(at + FRAME_HEADER_BYTES, end)
    if (crc32(payload) !== bytes.readUInt32BE(at + 4)) return { payloads, validBytes: at, damage: 'checksum' }
    payloads.push(payload)
    at = end
  }
  return { payloads, validBytes: at }
}
