import { FRAME_HEADER_BYTES, writeFrame } from './segment-format.js'
import type { OnSpooledRecord } from './segment-reader.js'

const INITIAL_STAGE_BYTES = 64 * 1024
const MAX_KEPT_STAGE_BYTES = 1024 * 1024

/**
 * Frames appended since the last commit, back to back, for one write(2): records are copied
 * in, framed (no allocation per record); the buffer grows by doubling and is reused.
 */
export class StagingBuffer {
  #stage = Buffer.allocUnsafe(INITIAL_STAGE_BYTES)
  #bytes = 0
  #frames = 0
  /** Of the staged records, the first `held` went straight to memory (see SegmentStore.append). */
  #held = 0
  #heldBytes = 0

  /** What is staged: bytes [0, bytes) of it. */
  get buffer(): Buffer {
    return this.#stage
  }

  get bytes(): number {
    return this.#bytes
  }

  get frames(): number {
    return this.#frames
  }

  /** Records staged that the caller holds in memory already (the first ones). */
  get held(): number {
    return this.#held
  }

  /** Bytes of the frames of the `held` records. */
  get heldBytes(): number {
    return this.#heldBytes
  }

  /** Stages bytes `[start, end)` of `source` as one frame; `held`: see SegmentStore.append. */
  append(source: Uint8Array, held: boolean, start: number, end: number): void {
    const need = this.#bytes + FRAME_HEADER_BYTES + (end - start)
    if (need > this.#stage.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * this.#stage.length))
      this.#stage.copy(grown, 0, 0, this.#bytes)
      this.#stage = grown
    }
    this.#bytes = writeFrame(this.#stage, this.#bytes, source, start, end)
    this.#frames++
    if (held) {
      this.#held++
      this.#heldBytes = this.#bytes
    }
  }

  /**
   * Gives up what is staged (a write failed): the records not held in memory go to `onRecord`
   * (from a copy: the staging buffer is reused); returns how many went.
   */
  abandon(onRecord: OnSpooledRecord): number {
    const copy = Buffer.from(this.#stage.subarray(this.#heldBytes, this.#bytes))
    let given = 0
    for (let at = 0; at < copy.length; given++) {
      const length = copy.readUInt32BE(at)
      onRecord(copy, at + FRAME_HEADER_BYTES, length)
      at += FRAME_HEADER_BYTES + length
    }
    this.#clear()
    return given
  }

  /** What was staged is written: the buffer is empty again. */
  written(): void {
    this.#clear()
    // A chunk far larger than usual: let its buffer go.
    if (this.#stage.length > MAX_KEPT_STAGE_BYTES) this.#stage = Buffer.allocUnsafe(INITIAL_STAGE_BYTES)
  }

  #clear(): void {
    this.#bytes = 0
    this.#frames = 0
    this.#held = 0
    this.#heldBytes = 0
  }
}
