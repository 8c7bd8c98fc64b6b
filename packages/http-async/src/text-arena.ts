/** Bytes of one slab: many lines each, one Buffer object for all of them. */
export const SLAB_BYTES = 64 * 1024

/**
 * Encodes text chunks (pino's worker hands a `targets` destination one string per line) into
 * shared slabs, so that a held record costs its bytes and a place in a slab, not a Buffer
 * object of its own each: per-line Buffers made a full 16 MiB queue cost over 80 MiB of RSS.
 */
export class TextArena {
  #slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
  #used = 0

  /** Writes `text` as UTF-8; returns the slab and the range it took (a fresh slab when needed). */
  encode(text: string): { readonly slab: Buffer; readonly start: number; readonly end: number } {
    // At most 3 bytes per UTF-16 code unit: cheaper to bound than to measure.
    const most = text.length * 3
    if (most > SLAB_BYTES) {
      const own = Buffer.from(text, 'utf8')
      return { slab: own, start: 0, end: own.length }
    }
    if (this.#used + most > SLAB_BYTES) {
      this.#slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
      this.#used = 0
    }
    const start = this.#used
    this.#used += this.#slab.write(text, start, 'utf8')
    return { slab: this.#slab, start, end: this.#used }
  }
}
