import type { DeliveryCounters } from '@pino-advanced/core'
import type { BufferMode } from './options.js'

export interface BufferRules {
  readonly capacity: number
  readonly flushLevel: number
  readonly maxBytes: number | undefined
  readonly mode: BufferMode
}

/** Drop reasons this buffer records (ring mode only: batch mode never drops). */
export const DropReasons = {
  /** Ring mode: the oldest record made room for a newer one past `capacity`. */
  RING_OVERWRITTEN: 'ring-overwritten',
  /** Ring mode: the oldest record made room for a newer one past `maxBytes`. */
  RING_MAX_BYTES: 'ring-max-bytes',
} as const

const NOTHING: readonly never[] = Object.freeze([])

/**
 * The semantics of Python's MemoryHandler, with no stream or timer in sight, so that the
 * worker transport and the main-thread stream share one implementation.
 *
 * `append` takes one line, a string or bytes (its newline included, so that released lines join byte for byte)
 * and returns the lines to release now, oldest first, or undefined to hold. Batch mode
 * releases everything once `capacity` records are held, once the held bytes reach
 * `maxBytes`, or when the record's level is at or above `flushLevel` (the record included).
 * Ring mode keeps the newest `capacity` records (and at most `maxBytes`, though never fewer
 * than the newest one) and releases only on a `flushLevel` record. A line with no readable
 * level (undefined) counts as below `flushLevel`.
 *
 * It counts `received` and its own drops; whoever sends released lines on counts them
 * delivered or dropped, so received = delivered + dropped + `size` holds.
 */
export class MemoryBuffer<L extends string | Uint8Array = string> {
  // Held lines are #held[#head..]; ring eviction advances #head and compacts now and then,
  // so dropping the oldest costs O(1) amortised instead of Array.shift's O(n).
  #held: L[] = []
  #head = 0
  #bytes = 0
  readonly #ring: boolean
  readonly #countBytes: boolean

  constructor(
    readonly rules: BufferRules,
    readonly counters: DeliveryCounters,
  ) {
    this.#ring = rules.mode === 'ring'
    this.#countBytes = rules.maxBytes !== undefined
  }

  /** Records held now. */
  get size(): number {
    return this.#held.length - this.#head
  }

  /** UTF-8 bytes held now (counted only when `maxBytes` is set; 0 otherwise). */
  get bytes(): number {
    return this.#bytes
  }

  append(line: L, level: number | undefined): readonly L[] | undefined {
    this.counters.received++
    this.#held.push(line)
    if (this.#countBytes) this.#bytes += Buffer.byteLength(line)
    const urgent = level !== undefined && level >= this.rules.flushLevel
    if (this.#ring) {
      if (this.size > this.rules.capacity) this.#evictOldest(DropReasons.RING_OVERWRITTEN)
      const maxBytes = this.rules.maxBytes as number
      while (this.#bytes > maxBytes && this.size > 1) this.#evictOldest(DropReasons.RING_MAX_BYTES)
      return urgent ? this.drain() : undefined
    }
    if (
      urgent ||
      this.size >= this.rules.capacity ||
      (this.#countBytes && this.#bytes >= (this.rules.maxBytes as number))
    ) {
      return this.drain()
    }
    return undefined
  }

  /** Everything held, oldest first, and the buffer empty. */
  drain(): readonly L[] {
    if (this.size === 0) return NOTHING
    const out = this.#head === 0 ? this.#held : this.#held.slice(this.#head)
    this.#held = []
    this.#head = 0
    this.#bytes = 0
    return out
  }

  #evictOldest(reason: string): void {
    const oldest = this.#held[this.#head] as L
    if (this.#countBytes) this.#bytes -= Buffer.byteLength(oldest)
    // Let go of the line now, not at the next compaction: maxBytes bounds real memory.
    this.#held[this.#head] = undefined as unknown as L
    this.#head++
    // Compact once the dead prefix is as long as the live part: amortised O(1) per eviction.
    if (this.#head >= this.rules.capacity) {
      this.#held = this.#held.slice(this.#head)
      this.#head = 0
    }
    this.counters.drop(reason)
  }
}
