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

/** Whoever owns the memory records live in: told when the queue takes and lets go of them. */
export interface ItemHolder<T> {
  retain(item: T): void
  /** `count` records of `item` (consecutive ones sharing a chunk come together) are let go. */
  release(item: T, count: number): void
}

/** Records taken from the head of the queue for one delivery, in order. */
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

/** A batch out of the waiting line: being sent, or parked (waiting for a retry). */
class OutBatch<T> implements Batch<T> {
  items: readonly T[]
  sizes: Float64Array
  offsets: Float64Array
  bytes: number
  parked = false
  settled = false

  constructor(
    items: T[],
    sizes: Float64Array,
    offsets: Float64Array,
    bytes: number,
    /** Records when taken: what leaves the queue's order when it settles (see `settle`). */
    readonly taken: number,
    /** The position of its first record in the order of holding (see `frontPosition`). */
    public first: number,
  ) {
    this.items = items
    this.sizes = sizes
    this.offsets = offsets
    this.bytes = bytes
  }

  /** Drops records from the front until `need` bytes are freed or none is left (overflow). */
  dropFront(need: number): { readonly records: number; readonly bytes: number } {
    let freed = 0
    let k = 0
    while (freed < need && k < this.items.length) freed += this.sizes[k++] as number
    this.items = this.items.slice(k)
    this.sizes = this.sizes.subarray(k)
    this.offsets = this.offsets.subarray(k)
    this.bytes -= freed
    this.first += k
    return { records: k, bytes: freed }
  }
}

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
  // The waiting line: parallel arrays from #head on, less garbage than an object per record.
  // Sizes, arrival times and offsets are typed arrays (no boxing), grown by doubling.
  #items: (T | undefined)[] = []
  #sizes = new Float64Array(INITIAL_CAPACITY)
  #times = new Float64Array(INITIAL_CAPACITY)
  #offsets = new Float64Array(INITIAL_CAPACITY)
  #head = 0
  #waitingBytes = 0
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
    return this.#waitingBytes + this.#outBytes
  }

  /** Records not taken yet. */
  get waiting(): number {
    return this.#items.length - this.#head
  }

  get waitingBytes(): number {
    return this.#waitingBytes
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
    return this.waiting === 0 ? undefined : this.#times[this.#head]
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
    const end = this.#items.length
    if (end === this.#sizes.length) this.#grow()
    this.#items.push(item)
    this.#sizes[end] = bytes
    this.#times[end] = at ?? this.#now()
    this.#offsets[end] = offset
    this.#waitingBytes += bytes
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
    let droppable = this.#waitingBytes
    for (const batch of this.#out) if (batch.parked && !batch.settled) droppable += batch.bytes
    if (need > droppable) return false
    let dropped = 0
    for (const batch of this.#out) {
      if (need <= 0) break
      if (!batch.parked || batch.settled) continue
      const items = batch.items
      const gone = batch.dropFront(need)
      this.#letGoRuns(items, 0, gone.records)
      this.#outBytes -= gone.bytes
      this.#outRecords -= gone.records
      need -= gone.bytes
      dropped += gone.records
      // Counted: nothing is left to send or to count (its owner finds it empty).
      if (batch.items.length === 0) batch.settled = true
    }
    if (need > 0) {
      const first = this.#head
      let freed = 0
      let k = 0
      while (freed < need) freed += this.#sizes[first + k++] as number
      this.#letGoRuns(this.#items as T[], first, first + k)
      for (let i = first; i < first + k; i++) this.#items[i] = undefined
      this.#head += k
      this.#waitingBytes -= freed
      dropped += k
      this.#compact()
    }
    if (dropped > 0) this.#counters.drop(QueueDropReasons.OVERFLOW, dropped)
    return true
  }

  /**
   * Takes the head of the waiting line: at most `maxItems` records and `maxBytes` bytes, but
   * always at least one record when any waits (a record larger than `maxBytes` goes alone).
   */
  take(maxItems: number, maxBytes: number): Batch<T> {
    const end = this.#items.length
    const head = this.#head
    let i = head
    let bytes = 0
    while (i < end && i - head < maxItems) {
      const size = this.#sizes[i] as number
      if (bytes + size > maxBytes && i > head) break
      bytes += size
      i++
    }
    const n = i - head
    const batch = new OutBatch<T>(
      this.#items.slice(head, i) as T[],
      this.#sizes.slice(head, i),
      this.#offsets.slice(head, i),
      bytes,
      n,
      this.#end - (end - head),
    )
    for (let k = head; k < i; k++) this.#items[k] = undefined
    this.#head = i
    this.#waitingBytes -= bytes
    this.#compact()
    this.#out.push(batch)
    this.#outRecords += n
    this.#outBytes += bytes
    return batch
  }

  /** Everything held, in order (taken batches in take order, then the line); nothing changes. */
  held(): Batch<T> {
    const items: T[] = []
    const sizes: number[] = []
    const offsets: number[] = []
    const add = (
      batchItems: readonly (T | undefined)[],
      batchSizes: Float64Array,
      batchOffsets: Float64Array,
      from: number,
      to: number,
    ) => {
      for (let i = from; i < to; i++) {
        items.push(batchItems[i] as T)
        sizes.push(batchSizes[i] as number)
        offsets.push(batchOffsets[i] as number)
      }
    }
    for (const batch of this.#out)
      if (!batch.settled) add(batch.items, batch.sizes, batch.offsets, 0, batch.items.length)
    add(this.#items, this.#sizes, this.#offsets, this.#head, this.#items.length)
    return { items, bytes: this.bytes, sizes: Float64Array.from(sizes), offsets: Float64Array.from(offsets) }
  }

  /**
   * Splits a taken batch of two or more records in two, in its place in the take order (the
   * older half first), for an endpoint that refused its body as too large (413): each half
   * is then sent and settled on its own. The halves keep the batch's parked state.
   */
  split(batch: Batch<T>): readonly [Batch<T>, Batch<T>] {
    const out = batch as OutBatch<T>
    const half = Math.ceil(out.items.length / 2)
    let firstBytes = 0
    for (let k = 0; k < half; k++) firstBytes += out.sizes[k] as number
    const rest = out.items.length - half
    const second = new OutBatch<T>(
      out.items.slice(half),
      out.sizes.slice(half),
      out.offsets.slice(half),
      out.bytes - firstBytes,
      rest,
      out.first + half,
    )
    // The first half keeps what left with records overflow dropped: `taken` still sums up.
    const first = new OutBatch<T>(
      out.items.slice(0, half),
      out.sizes.slice(0, half),
      out.offsets.slice(0, half),
      firstBytes,
      out.taken - rest,
      out.first,
    )
    first.parked = out.parked
    second.parked = out.parked
    this.#out.splice(this.#out.indexOf(out), 1, first, second)
    return [first, second]
  }

  /**
   * Keeps only the records at `keep` (ascending positions in the batch) in a taken batch, for
   * an endpoint that answered record by record: the others (the caller counted them delivered
   * or dropped) are let go now. The batch keeps its place in the take order, so the spool's
   * acknowledgement waits until the kept records settle too.
   */
  narrow(batch: Batch<T>, keep: readonly number[]): void {
    const out = batch as OutBatch<T>
    const items: T[] = []
    const sizes = new Float64Array(keep.length)
    const offsets = new Float64Array(keep.length)
    let bytes = 0
    let next = 0
    for (let i = 0; i < out.items.length; i++) {
      const size = out.sizes[i] as number
      if (keep[next] === i) {
        items.push(out.items[i] as T)
        sizes[next] = size
        offsets[next] = out.offsets[i] as number
        bytes += size
        next++
      } else {
        this.#letGoRuns(out.items, i, i + 1)
      }
    }
    this.#outRecords -= out.items.length - items.length
    this.#outBytes -= out.bytes - bytes
    out.items = items
    out.sizes = sizes
    out.offsets = offsets
    out.bytes = bytes
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
      this.#letGoRuns(out.items, 0, out.items.length)
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
    for (const batch of this.#out) if (!batch.settled) this.#letGoRuns(batch.items, 0, batch.items.length)
    this.#out = []
    this.#outRecords = 0
    this.#outBytes = 0
    this.#letGoRuns(this.#items as T[], this.#head, this.#items.length)
    this.#items = []
    this.#head = 0
    this.#waitingBytes = 0
    return n
  }

  /** Tells the holder that items [from, to) are let go (runs of one item in one call). */
  #letGoRuns(items: readonly T[], from: number, to: number): void {
    const holder = this.#holder
    if (holder === undefined) return
    let run: T | undefined
    let count = 0
    for (let i = from; i < to; i++) {
      const item = items[i] as T
      if (item === run) {
        count++
      } else {
        if (count > 0) holder.release(run as T, count)
        run = item
        count = 1
      }
    }
    if (count > 0) holder.release(run as T, count)
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
