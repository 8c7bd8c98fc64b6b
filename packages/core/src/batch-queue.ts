import type { DeliveryCounters } from './stats.js'

/** What happens when a record would take the queue past its byte bound. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest'

export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = Object.freeze(['drop-oldest', 'drop-newest'])

/** Drop reasons the queue itself counts. */
export const QueueDropReasons = Object.freeze({
  /** Dropped to stay within `maxBytes` (the oldest waiting, or the newcomer, by policy). */
  OVERFLOW: 'overflow',
  /** A single record over `maxItemBytes`: it would block or flood the queue. */
  RECORD_TOO_LARGE: 'record-too-large',
})

export interface BatchQueueOptions<T = QueueItem> {
  /** Bound on the bytes held, in-flight batch included. */
  readonly maxBytes: number
  /** A record over this many bytes is dropped on arrival. */
  readonly maxItemBytes: number
  readonly overflow: OverflowPolicy
  /** Clock for arrival times (injected in tests). */
  readonly now?: () => number
  /** Told of every record held and let go (a pool of shared buffers counts its users). */
  readonly holder?: ItemHolder<T>
}

/** Whoever owns the memory records live in: told when the queue takes and lets go of them. */
export interface ItemHolder<T> {
  retain(item: T): void
  /** `count` records of `item` (consecutive ones sharing a chunk come together) are let go. */
  release(item: T, count: number): void
}

/** The head of the queue, taken for one delivery attempt. */
export interface Batch<T = string> {
  readonly items: readonly T[]
  readonly bytes: number
  /** Each item's byte size, as pushed. */
  readonly sizes: Float64Array
  /** Each item's `offset`, as pushed (where the record starts in a shared chunk, say). */
  readonly offsets: Float64Array
}

/** What a queue holds: a line as text, or as bytes (a Buffer, counted by its length). */
export type QueueItem = string | Uint8Array

// Compact the arrays once this many slots at the front are dead and they are half the array.
const COMPACT_AFTER = 4096
const INITIAL_CAPACITY = 1024

/**
 * A bounded FIFO of records (lines) counted in bytes, for transports that deliver in batches.
 * It keeps the accounting of a DeliveryCounters exact: every record pushed is counted received,
 * then delivered or dropped (with a reason) exactly once; what is held, in-flight batch
 * included, is `counters.buffered` and `length` alike.
 *
 * One batch at a time is in flight: `take()` locks the head, then `delivered()`,
 * `dropTaken(reason)` or `untake()` (put back for a retry) settles it. Locked records are never
 * dropped for overflow; everything after them may be.
 */
export class BatchQueue<T extends QueueItem = string> {
  readonly #counters: DeliveryCounters
  readonly #maxBytes: number
  readonly #maxItemBytes: number
  readonly #dropOldest: boolean
  readonly #now: () => number
  readonly #holder: ItemHolder<T> | undefined
  // Parallel arrays from #head on: less garbage than an object per record. Sizes and arrival
  // times are typed arrays (no boxing, no garbage), grown by doubling.
  #items: (T | undefined)[] = []
  #sizes = new Float64Array(INITIAL_CAPACITY)
  #times = new Float64Array(INITIAL_CAPACITY)
  #offsets = new Float64Array(INITIAL_CAPACITY)
  #head = 0
  #bytes = 0
  #locked = 0
  #lockedBytes = 0

  constructor(counters: DeliveryCounters, options: BatchQueueOptions<T>) {
    this.#counters = counters
    this.#maxBytes = options.maxBytes
    this.#maxItemBytes = options.maxItemBytes
    this.#dropOldest = options.overflow === 'drop-oldest'
    this.#now = options.now ?? Date.now
    this.#holder = options.holder
  }

  /** Records held, in-flight batch included. */
  get length(): number {
    return this.#items.length - this.#head
  }

  /** Bytes held, in-flight batch included. */
  get bytes(): number {
    return this.#bytes
  }

  /** Records in the batch taken and not yet settled (0 when none). */
  get taken(): number {
    return this.#locked
  }

  /** Arrival time of the oldest record held, or undefined when empty. */
  get oldestAt(): number | undefined {
    return this.length === 0 ? undefined : this.#times[this.#head]
  }

  /**
   * Counts a record received and holds it, unless it is too large or the bound (and policy)
   * says drop. `bytes` defaults to its UTF-8 length (a string) or its length (bytes); `at`, its
   * arrival time, to the clock (a caller pushing many at once may read the clock once).
   * `offset` is kept for the caller: a record can be a range of a shared chunk (`item`), which
   * spares an object per record. Returns whether it was kept.
   */
  push(
    item: T,
    bytes = typeof item === 'string' ? Buffer.byteLength(item) : item.byteLength,
    at?: number,
    offset = 0,
  ): boolean {
    const counters = this.#counters
    counters.received++
    if (bytes > this.#maxItemBytes) {
      counters.drop(QueueDropReasons.RECORD_TOO_LARGE)
      return false
    }
    if (this.#bytes + bytes > this.#maxBytes && !this.#makeRoom(bytes)) {
      counters.drop(QueueDropReasons.OVERFLOW)
      return false
    }
    this.hold(item, bytes, at, offset)
    return true
  }

  /**
   * Holds a record already counted received, with no bound applied: the caller (a durable
   * spool that reads records back as there is room) keeps within `maxBytes` itself.
   */
  hold(item: T, bytes: number, at: number | undefined, offset: number): void {
    const end = this.#items.length
    if (end === this.#sizes.length) this.#grow()
    this.#items.push(item)
    this.#sizes[end] = bytes
    this.#times[end] = at ?? this.#now()
    this.#offsets[end] = offset
    this.#bytes += bytes
    this.#holder?.retain(item)
  }

  /** Drop-oldest: drops waiting records (never the locked batch) until `bytes` fits. */
  #makeRoom(bytes: number): boolean {
    if (!this.#dropOldest) return false
    const need = this.#bytes + bytes - this.#maxBytes
    // Even dropping every waiting record would not make room: keep them, drop the newcomer.
    if (need > this.#bytes - this.#lockedBytes) return false
    const first = this.#head + this.#locked
    let freed = 0
    let k = 0
    while (freed < need) freed += this.#sizes[first + k++] as number
    this.#letGo(first, first + k)
    if (this.#locked > 0) {
      // Move the locked batch forward over the dropped records: O(batch), not O(queue).
      for (let i = first - 1; i >= this.#head; i--) {
        this.#items[i + k] = this.#items[i]
        this.#sizes[i + k] = this.#sizes[i] as number
        this.#times[i + k] = this.#times[i] as number
        this.#offsets[i + k] = this.#offsets[i] as number
      }
    }
    for (let i = this.#head; i < this.#head + k; i++) this.#items[i] = undefined
    this.#head += k
    this.#bytes -= freed
    this.#counters.drop(QueueDropReasons.OVERFLOW, k)
    this.#compact()
    return true
  }

  /**
   * Locks and returns the head: at most `maxItems` records and `maxBytes` bytes, but always at
   * least one record when any is held (a record larger than `maxBytes` goes alone).
   */
  take(maxItems: number, maxBytes: number): Batch<T> {
    if (this.#locked > 0) throw new Error('BatchQueue.take: a batch is already taken')
    const end = this.#items.length
    let i = this.#head
    let bytes = 0
    while (i < end && i - this.#head < maxItems) {
      const size = this.#sizes[i] as number
      if (bytes + size > maxBytes && i > this.#head) break
      bytes += size
      i++
    }
    this.#locked = i - this.#head
    this.#lockedBytes = bytes
    return {
      items: this.#items.slice(this.#head, i) as T[],
      bytes,
      sizes: this.#sizes.slice(this.#head, i),
      offsets: this.#offsets.slice(this.#head, i),
    }
  }

  /** Everything held, in order, the taken batch included; nothing changes (an exit handoff). */
  held(): Batch<T> {
    const end = this.#items.length
    return {
      items: this.#items.slice(this.#head, end) as T[],
      bytes: this.#bytes,
      sizes: this.#sizes.slice(this.#head, end),
      offsets: this.#offsets.slice(this.#head, end),
    }
  }

  /** The taken batch was delivered. */
  delivered(): void {
    this.#counters.delivered += this.#locked
    this.#release()
  }

  /** The taken batch is given up, counted under `reason`. */
  dropTaken(reason: string): void {
    if (this.#locked > 0) this.#counters.drop(reason, this.#locked)
    this.#release()
  }

  /** The taken batch goes back to the head, unlocked (to be retried; overflow may now drop it). */
  untake(): void {
    this.#locked = 0
    this.#lockedBytes = 0
  }

  /** Drops everything held, the taken batch included, under `reason`; returns how many. */
  dropAll(reason: string): number {
    const n = this.forgetAll()
    if (n > 0) this.#counters.drop(reason, n)
    return n
  }

  /** Empties the queue without counting anything: its records are kept elsewhere (a spool). */
  forgetAll(): number {
    const n = this.length
    this.#letGo(this.#head, this.#items.length)
    this.#items = []
    this.#head = 0
    this.#bytes = 0
    this.untake()
    return n
  }

  #release(): void {
    this.#letGo(this.#head, this.#head + this.#locked)
    this.#head += this.#locked
    this.#bytes -= this.#lockedBytes
    this.untake()
    this.#compact()
  }

  /** Clears slots [from, to), telling the holder (runs of one item in one call). */
  #letGo(from: number, to: number): void {
    const items = this.#items
    const holder = this.#holder
    let run: T | undefined
    let count = 0
    for (let i = from; i < to; i++) {
      const item = items[i] as T
      items[i] = undefined
      if (holder === undefined) continue
      if (item === run) {
        count++
      } else {
        if (count > 0) holder.release(run as T, count)
        run = item
        count = 1
      }
    }
    if (count > 0) holder?.release(run as T, count)
  }

  #grow(): void {
    const sizes = new Float64Array(this.#sizes.length * 2)
    sizes.set(this.#sizes)
    this.#sizes = sizes
    const times = new Float64Array(this.#times.length * 2)
    times.set(this.#times)
    this.#times = times
    const offsets = new Float64Array(this.#offsets.length * 2)
    offsets.set(this.#offsets)
    this.#offsets = offsets
  }

  #compact(): void {
    const end = this.#items.length
    if (this.#head === end) {
      this.#items = []
      this.#head = 0
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= end) {
      this.#items = this.#items.slice(this.#head)
      this.#sizes.copyWithin(0, this.#head, end)
      this.#times.copyWithin(0, this.#head, end)
      this.#offsets.copyWithin(0, this.#head, end)
      this.#head = 0
    }
  }
}
