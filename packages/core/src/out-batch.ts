/** Records taken from the head of the queue for one delivery, in order. */
export interface Batch<T = string> {
  readonly items: readonly T[]
  readonly bytes: number
  /** Each item's byte size, as pushed. */
  readonly sizes: Float64Array
  /** Each item's `offset`, as pushed (where the record starts in a shared chunk, say). */
  readonly offsets: Float64Array
}

/** Whoever owns the memory records live in: told when the queue takes and lets go of them. */
export interface ItemHolder<T> {
  retain(item: T): void
  /** `count` records of `item` (consecutive ones sharing a chunk come together) are let go. */
  release(item: T, count: number): void
}

/** Tells `holder` that items [from, to) are let go (runs of one item in one call). */
export function releaseRuns<T>(holder: ItemHolder<T> | undefined, items: readonly T[], from: number, to: number): void {
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

/** A batch out of the waiting line: being sent, or parked (waiting for a retry). */
export class OutBatch<T> implements Batch<T> {
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

  /** Its two halves (the older first, of two or more records), each keeping its parked state. */
  halves(): readonly [OutBatch<T>, OutBatch<T>] {
    const half = Math.ceil(this.items.length / 2)
    let firstBytes = 0
    for (let k = 0; k < half; k++) firstBytes += this.sizes[k] as number
    const rest = this.items.length - half
    const second = new OutBatch<T>(
      this.items.slice(half),
      this.sizes.slice(half),
      this.offsets.slice(half),
      this.bytes - firstBytes,
      rest,
      this.first + half,
    )
    // The first half keeps what left with records overflow dropped: `taken` still sums up.
    const first = new OutBatch<T>(
      this.items.slice(0, half),
      this.sizes.slice(0, half),
      this.offsets.slice(0, half),
      firstBytes,
      this.taken - rest,
      this.first,
    )
    first.parked = this.parked
    second.parked = this.parked
    return [first, second]
  }

  /**
   * Keeps only the records at `keep` (ascending positions in the batch); the others go to
   * `holder`. Returns the records and bytes let go.
   */
  narrow(
    keep: readonly number[],
    holder: ItemHolder<T> | undefined,
  ): { readonly records: number; readonly bytes: number } {
    const items: T[] = []
    const sizes = new Float64Array(keep.length)
    const offsets = new Float64Array(keep.length)
    let bytes = 0
    let next = 0
    for (let i = 0; i < this.items.length; i++) {
      const size = this.sizes[i] as number
      if (keep[next] === i) {
        items.push(this.items[i] as T)
        sizes[next] = size
        offsets[next] = this.offsets[i] as number
        bytes += size
        next++
      } else {
        releaseRuns(holder, this.items, i, i + 1)
      }
    }
    const gone = { records: this.items.length - items.length, bytes: this.bytes - bytes }
    this.items = items
    this.sizes = sizes
    this.offsets = offsets
    this.bytes = bytes
    return gone
  }
}
