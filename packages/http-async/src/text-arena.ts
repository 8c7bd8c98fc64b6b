import type { ItemHolder } from '@pino-advanced/core'

/** Bytes of one slab: many lines each, one Buffer object for all of them. */
export const SLAB_BYTES = 64 * 1024
// Spare slabs kept for reuse once the queue empties (1 MiB); more go to the collector.
const MAX_SPARE_SLABS = 16

interface Slab {
  readonly buffer: Buffer
  /** Records held in it. */
  live: number
}

/**
 * Encodes text chunks (pino's worker hands a `targets` destination one string per line) into
 * shared slabs, so that a held record costs its bytes and a place in a slab, not a Buffer
 * object of its own each: per-line Buffers made a full 16 MiB queue cost over 80 MiB of RSS.
 *
 * Slabs are reused: the queue tells the arena (as its ItemHolder) when it takes and lets go of a
 * record, and a slab no record lives in any more is written again. Left to the collector, dead
 * slabs are external memory it frees late: under an outage, with the queue full and overflow
 * dropping the oldest records, they doubled the memory the buffer bound promises.
 */
export class TextArena implements ItemHolder<Uint8Array> {
  #current: Slab = { buffer: Buffer.allocUnsafeSlow(SLAB_BYTES), live: 0 }
  #used = 0
  /** Slabs other than the current one that records still live in. */
  readonly #held = new Map<Uint8Array, Slab>()
  readonly #spare: Slab[] = []

  /** Writes `text` as UTF-8; returns the slab and the range it took (a fresh slab when needed). */
  encode(text: string): { readonly slab: Buffer; readonly start: number; readonly end: number } {
    // At most 3 bytes per UTF-16 code unit: cheaper to bound than to measure.
    const most = text.length * 3
    if (most > SLAB_BYTES) {
      const own = Buffer.from(text, 'utf8')
      return { slab: own, start: 0, end: own.length }
    }
    if (this.#used + most > SLAB_BYTES) {
      const full = this.#current
      if (full.live > 0) this.#held.set(full.buffer, full)
      else this.#keep(full)
      this.#current = this.#spare.pop() ?? { buffer: Buffer.allocUnsafeSlow(SLAB_BYTES), live: 0 }
      this.#used = 0
    }
    const slab = this.#current.buffer
    const start = this.#used
    this.#used += slab.write(text, start, 'utf8')
    return { slab, start, end: this.#used }
  }

  /** Slabs in use or spare (for tests: memory stays bounded). */
  get slabs(): number {
    return 1 + this.#held.size + this.#spare.length
  }

  retain(item: Uint8Array): void {
    // A record is held right after its text was encoded: in the current slab, if in any
    // (a line from bytes input, or joined across chunks, is not the arena's).
    if (item === this.#current.buffer) this.#current.live++
  }

  release(item: Uint8Array, count: number): void {
    const current = this.#current
    if (item === current.buffer) {
      current.live -= count
      return
    }
    const slab = this.#held.get(item)
    if (slab === undefined) return
    slab.live -= count
    if (slab.live === 0) {
      this.#held.delete(item)
      this.#keep(slab)
    }
  }

  #keep(slab: Slab): void {
    if (this.#spare.length < MAX_SPARE_SLABS) this.#spare.push(slab)
  }
}
