import type { Writable } from 'node:stream'

const NEWLINE = 0x0a
// A chunk is split this much at a time (cut at a newline; at most a quarter of maxBufferBytes):
// pino hands over up to 4 MB at once, and a pause asked for mid-chunk (at half the buffer)
// must hold the rest back, not let it overflow a small buffer.
const PIECE_BYTES = 64 * 1024

/** A chunk being taken in: bytes [pos, end) of `bytes` are still to be split. */
export interface Intake {
  readonly bytes: Buffer
  pos: number
  readonly end: number
  /** What the Writable counts for it in writableLength (a string's length, a Buffer's bytes). */
  readonly length: number
  readonly cb: (err?: Error | null) => void
}

/** How much of a chunk is split at a time, for a buffer of `maxBufferBytes`. */
export const pieceBytes = (maxBufferBytes: number): number =>
  Math.max(1, Math.min(PIECE_BYTES, Math.floor(maxBufferBytes / 4)))

/** Where the next piece of `intake` ends: after the first newline `piece` bytes on, or at its end. */
export function pieceEnd(intake: Intake, piece: number): number {
  const { bytes, end } = intake
  const nl = end - intake.pos > piece ? bytes.indexOf(NEWLINE, intake.pos + piece) : -1
  return nl === -1 || nl >= end ? end : nl + 1
}

/** Chunks a Writable queued and has not handed to `_write` yet (undocumented but stable shape). */
export const queuedChunks = (stream: Writable): readonly { readonly chunk: Buffer | string }[] =>
  (stream as unknown as { writableBuffer: { chunk: Buffer | string }[] }).writableBuffer
