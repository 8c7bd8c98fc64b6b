import { DROP_REASONS } from './drop-reasons.js'
import { type Batch, type ItemHolder, type OutBatch, releaseRuns } from './out-batch.js'
import type { DeliveryCounters } from './stats.js'
import { WaitingLine } from './waiting-line.js'

/** What happens when a record would take the queue past its byte bound. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest'

export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = Object.freeze(['drop-oldest', 'drop-newest'])

/** Drop reasons the queue itself counts. */
export const QueueDropReasons = Object.freeze({
  /** Dropped to stay within `maxBytes` (the oldest waiting, or the newcomer, by policy). */
  OVERFLOW: DROP_REASONS.overflow.name,
  /** A single record over `maxItemBytes`: it would block or flood the queue. */
  RECORD_TOO_LARGE: DROP_REASONS.recordTooLarge.name,
})

export interface BatchQueueOptions<T = QueueItem> {
  /** Bound on the bytes held, batches taken included. */
  readonly maxBytes: number
  /** A record over this many bytes is dropped on arrival. */
  readonly maxItemBytes: number
  readonly overflow: OverflowPolicy
  /** Clock for arrival times (injected in tests). */
  readonly now?: () => number
  /** Told of every record held and let go (a pool of shared buffers counts its users). */
  readonly holder?: ItemHolder<T>
}

export type { Batch, ItemHolder }

/** What a queue holds: a line as text, or as bytes (a Buffer, counted by its length). */
export type QueueItem = string | Uint8Array

/**
 * A bounded FIFO of records (lines) counted in bytes, for transports that deliver in batches,
 * several at a time. It keeps the accounting of a DeliveryCounters exact: every record pushed
 * is counted received, then delivered or dropped (with a reason) exactly once; what is held,
 * batches taken included, is `counters.buffered` and `length` alike.
 *
 * `take()` moves the head of the waiting line into a batch; each batch is settled on its own,
 * in any order: `delivered(batch)` or `dropBatch(batch, reason)`. A batch that waits for a
 * retry is `park`ed: overflow may then drop its records (they are the oldest; a batch emptied
 * so is settled), while records of a batch being sent are never dropped. `settle` reports how
 * many records left the front of the take order, so that a durable store can acknowledge only
 * a contiguous prefix.
 */
export class BatchQueue<T extends QueueItem = string> {
  readonly #counters: DeliveryCounters
  readonly #maxBytes: number
  readonly #maxItemBytes: number
  readonly #dropOldest: boolean
  readonly #now: () => number
  readonly #holder: ItemHolder<T> | undefined
  readonly #line = new WaitingLine<T>()
  /** Batches taken and not yet settled or released, in take order. */
  #out: OutBatch<T>[] = []
  #outRecords = 0
  #outBytes = 0
  /** Records ever held: the position the next one gets. */
  #end = 0

  constructor(counters: DeliveryCounters, options: BatchQueueOptions<T>) {
    this.#counters = counters
    this.#maxBytes = options.maxBytes
    this.#maxItemBytes = options.maxItemBytes
    this.#dropOldest = options.overflow === 'drop-oldest'
    this.#now = options.now ?? Date.now
    this.#holder = options.holder
  }

  /** Records held, batches taken included. */
  get length(): number {
    return this.waiting + this.#outRecords
  }

  /** Bytes held, batches taken included. */
  get bytes(): number {
    return this.#line.bytes + this.#outBytes
  }

  /** Records not taken yet. */
  get waiting(): number {
    return this.#line.length
  }

  get waitingBytes(): number {
    return this.#line.bytes
  }

  /** Records ever held (each got the next position in the order of holding). */
  get endPosition(): number {
    return this.#end
  }

  /**
   * The position of the oldest record still held (`endPosition` when none is): every record
   * held before it has been delivered or dropped. A flush waits for this to pass its mark.
   */
  get frontPosition(): number {
    for (const batch of this.#out) if (!batch.settled && batch.items.length > 0) return batch.first
    return this.#end - this.waiting
  }

  /** Arrival time of the oldest record waiting (not taken), or undefined when none waits. */
  get oldestAt(): number | undefined {
    return this.#line.oldestAt
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
    if (this.bytes + bytes > this.#maxBytes && !this.#makeRoom(bytes)) {
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
    this.#line.hold(item, bytes, at ?? this.#now(), offset)
    this.#end++
    this.#holder?.retain(item)
  }

  /**
   * Drop-oldest: drops the oldest records that are not being sent (parked batches first, in
   * take order, then the waiting line) until `bytes` fits. If even that would not make room,
   * nothing is dropped and the newcomer goes instead.
   */
  #makeRoom(bytes: number): boolean {
    if (!this.#dropOldest) return false
    let need = this.bytes + bytes - this.#maxBytes
    let droppable = this.#line.bytes
    for (const batch of this.#out) if (batch.parked && !batch.settled) droppable += batch.bytes
    if (need > droppable) return false
    let dropped = 0
    for (const batch of this.#out) {
      if (need <= 0) break
      if (!batch.parked || batch.settled) continue
      const items = batch.items
      const gone = batch.dropFront(need)
      releaseRuns(this.#holder, items, 0, gone.records)
      this.#outBytes -= gone.bytes
      this.#outRecords -= gone.records
      need -= gone.bytes
      dropped += gone.records
      // Counted: nothing is left to send or to count (its owner finds it empty).
      if (batch.items.length === 0) batch.settled = true
    }
    if (need > 0) dropped += this.#line.dropFront(need, this.#holder)
    if (dropped > 0) this.#counters.drop(QueueDropReasons.OVERFLOW, dropped)
    return true
  }

  /**
   * Takes the head of the waiting line: at most `maxItems` records and `maxBytes` bytes, but
   * always at least one record when any waits (a record larger than `maxBytes` goes alone).
   */
  take(maxItems: number, maxBytes: number): Batch<T> {
    const batch = this.#line.take(maxItems, maxBytes, this.#end - this.waiting)
    this.#out.push(batch)
    this.#outRecords += batch.taken
    this.#outBytes += batch.bytes
    return batch
  }

  /** Everything held, in order (taken batches in take order, then the line); nothing changes. */
  held(): Batch<T> {
    const items: T[] = []
    const sizes: number[] = []
    const offsets: number[] = []
    for (const batch of this.#out) {
      if (batch.settled) continue
      for (let i = 0; i < batch.items.length; i++) {
        items.push(batch.items[i] as T)
        sizes.push(batch.sizes[i] as number)
        offsets.push(batch.offsets[i] as number)
      }
    }
    this.#line.copyTo(items, sizes, offsets)
    return { items, bytes: this.bytes, sizes: Float64Array.from(sizes), offsets: Float64Array.from(offsets) }
  }

  /**
   * Splits a taken batch of two or more records in two, in its place in the take order (the
   * older half first), for an endpoint that refused its body as too large (413): each half
   * is then sent and settled on its own. The halves keep the batch's parked state.
   */
  split(batch: Batch<T>): readonly [Batch<T>, Batch<T>] {
    const out = batch as OutBatch<T>
    const halves = out.halves()
    this.#out.splice(this.#out.indexOf(out), 1, ...halves)
    return halves
  }

  /**
   * Keeps only the records at `keep` (ascending positions in the batch) in a taken batch, for
   * an endpoint that answered record by record: the others (the caller counted them delivered
   * or dropped) are let go now. The batch keeps its place in the take order, so the spool's
   * acknowledgement waits until the kept records settle too.
   */
  narrow(batch: Batch<T>, keep: readonly number[]): void {
    const gone = (batch as OutBatch<T>).narrow(keep, this.#holder)
    this.#outRecords -= gone.records
    this.#outBytes -= gone.bytes
  }

  /** A parked batch waits for a retry: overflow may drop its records meanwhile. */
  park(batch: Batch<T>): void {
    ;(batch as OutBatch<T>).parked = true
  }

  /** A parked batch is being sent again: its records are safe from overflow. */
  unpark(batch: Batch<T>): void {
    ;(batch as OutBatch<T>).parked = false
  }

  /** The batch was delivered. Returns what `settle` does. */
  delivered(batch: Batch<T>): number {
    this.#counters.delivered += batch.items.length
    return this.settle(batch)
  }

  /** The batch is given up, counted under `reason`. Returns what `settle` does. */
  dropBatch(batch: Batch<T>, reason: string): number {
    if (batch.items.length > 0) this.#counters.drop(reason, batch.items.length)
    return this.settle(batch)
  }

  /**
   * Lets go of a counted batch; returns how many records (counted as taken) left the front of
   * the take order with it: 0 while an older batch is still out.
   */
  settle(batch: Batch<T>): number {
    const out = batch as OutBatch<T>
    if (!out.settled) {
      out.settled = true
      releaseRuns(this.#holder, out.items, 0, out.items.length)
      this.#outRecords -= out.items.length
      this.#outBytes -= out.bytes
    }
    let released = 0
    let k = 0
    while (k < this.#out.length && (this.#out[k] as OutBatch<T>).settled)
      released += (this.#out[k++] as OutBatch<T>).taken
    if (k > 0) this.#out.splice(0, k)
    return released
  }

  /** Drops everything held, taken batches included, under `reason`; returns how many. */
  dropAll(reason: string): number {
    const n = this.forgetAll()
    if (n > 0) this.#counters.drop(reason, n)
    return n
  }

  /** Empties the queue without counting anything: its records are kept elsewhere (a spool). */
  forgetAll(): number {
    const n = this.length
    for (const batch of this.#out) if (!batch.settled) releaseRuns(this.#holder, batch.items, 0, batch.items.length)
    this.#out = []
    this.#outRecords = 0
    this.#outBytes = 0
    this.#line.clear(this.#holder)
    return n
  }
}
