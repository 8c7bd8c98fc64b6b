import type { DeliveryCounters } from '@pino-advanced/core'
import { DROP_REASONS } from '@pino-advanced/core'
import type { LineStore } from './line-store.js'
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
  RING_OVERWRITTEN: DROP_REASONS.ringOverwritten.name,
  /** Ring mode: the oldest record made room for a newer one past `maxBytes`. */
  RING_MAX_BYTES: DROP_REASONS.ringMaxBytes.name,
} as const

/** What a release sends on: the held lines joined, and how many records they are. */
export interface Release<Out> {
  readonly chunk: Out
  readonly records: number
}

/**
 * The semantics of Python's MemoryHandler, with no stream or timer in sight, so that the
 * worker transport and the main-thread stream share one implementation.
 *
 * Whoever feeds it puts each line (its newline included) in the store, then calls `added` with
 * the line's level, which says whether to release now: batch mode releases everything once
 * `capacity` records are held, once the held bytes reach `maxBytes`, or when the record's level
 * is at or above `flushLevel` (the record included). Ring mode keeps the newest `capacity`
 * records (and at most `maxBytes`, though never fewer than the newest one) and releases only on
 * a `flushLevel` record. A line with no readable level (undefined) counts as below `flushLevel`.
 *
 * It counts `received` and its own drops; whoever sends released lines on counts them
 * delivered or dropped, so received = delivered + dropped + `size` holds.
 */
export class MemoryBuffer<Out> {
  readonly #store: LineStore<Out>
  readonly #ring: boolean
  readonly #maxBytes: number

  constructor(
    readonly rules: BufferRules,
    readonly counters: DeliveryCounters,
    store: LineStore<Out>,
  ) {
    this.#store = store
    this.#ring = rules.mode === 'ring'
    this.#maxBytes = rules.maxBytes ?? Number.POSITIVE_INFINITY
  }

  /** Records held now. */
  get size(): number {
    return this.#store.size
  }

  /** The newest line is in the store: counts it; returns what to release now, or undefined to hold. */
  added(level: number | undefined): Release<Out> | undefined {
    this.counters.received++
    const urgent = level !== undefined && level >= this.rules.flushLevel
    const store = this.#store
    if (this.#ring) {
      if (store.size > this.rules.capacity) this.#evictOldest(DropReasons.RING_OVERWRITTEN)
      while (store.bytes > this.#maxBytes && store.size > 1) this.#evictOldest(DropReasons.RING_MAX_BYTES)
      return urgent ? this.drain() : undefined
    }
    if (urgent || store.size >= this.rules.capacity || store.bytes >= this.#maxBytes) return this.drain()
    return undefined
  }

  /** Everything held, oldest first, and the buffer empty; undefined when nothing is held. */
  drain(): Release<Out> | undefined {
    const records = this.#store.size
    if (records === 0) return undefined
    return { chunk: this.#store.drain(), records }
  }

  #evictOldest(reason: string): void {
    this.#store.dropOldest()
    this.counters.drop(reason)
  }
}
