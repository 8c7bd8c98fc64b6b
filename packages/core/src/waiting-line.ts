import { type ItemHolder, OutBatch, releaseRuns } from './out-batch.js'

// Compact the arrays once this many slots at the front are dead and they are half the array.
const COMPACT_AFTER = 4096
const INITIAL_CAPACITY = 1024

/**
 * The records of a BatchQueue not taken yet, oldest first: parallel arrays from `head` on, less
 * garbage than an object per record. Sizes, arrival times and offsets are typed arrays (no
 * boxing), grown by doubling.
 */
export class WaitingLine<T> {
  #items: (T | undefined)[] = []
  #sizes = new Float64Array(INITIAL_CAPACITY)
  #times = new Float64Array(INITIAL_CAPACITY)
  #offsets = new Float64Array(INITIAL_CAPACITY)
  #head = 0
  #bytes = 0

  /** Records waiting. */
  get length(): number {
    return this.#items.length - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  /** Arrival time of the oldest record waiting, or undefined when none waits. */
  get oldestAt(): number | undefined {
    return this.length === 0 ? undefined : this.#times[this.#head]
  }

  hold(item: T, bytes: number, at: number, offset: number): void {
    const end = this.#items.length
    if (end === this.#sizes.length) this.#grow()
    this.#items.push(item)
    this.#sizes[end] = bytes
    this.#times[end] = at
    this.#offsets[end] = offset
    this.#bytes += bytes
  }

  /** Drops the oldest records until `need` bytes are freed (they are there); returns how many. */
  dropFront(need: number, holder: ItemHolder<T> | undefined): number {
    const first = this.#head
    let freed = 0
    let k = 0
    while (freed < need) freed += this.#sizes[first + k++] as number
    releaseRuns(holder, this.#items as T[], first, first + k)
    for (let i = first; i < first + k; i++) this.#items[i] = undefined
    this.#head += k
    this.#bytes -= freed
    this.#compact()
    return k
  }

  /**
   * Takes the head of the line: at most `maxItems` records and `maxBytes` bytes, but always at
   * least one record when any waits (a record larger than `maxBytes` goes alone). `first`: the
   * position of the head in the order of holding.
   */
  take(maxItems: number, maxBytes: number, first: number): OutBatch<T> {
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
    const batch = new OutBatch<T>(
      this.#items.slice(head, i) as T[],
      this.#sizes.slice(head, i),
      this.#offsets.slice(head, i),
      bytes,
      i - head,
      first,
    )
    for (let k = head; k < i; k++) this.#items[k] = undefined
    this.#head = i
    this.#bytes -= bytes
    this.#compact()
    return batch
  }

  /** Adds every record waiting, in order, to the three lists; nothing changes. */
  copyTo(items: T[], sizes: number[], offsets: number[]): void {
    for (let i = this.#head; i < this.#items.length; i++) {
      items.push(this.#items[i] as T)
      sizes.push(this.#sizes[i] as number)
      offsets.push(this.#offsets[i] as number)
    }
  }

  /** Empties the line, telling `holder`. */
  clear(holder: ItemHolder<T> | undefined): void {
    releaseRuns(holder, this.#items as T[], this.#head, this.#items.length)
    this.#items = []
    this.#head = 0
    this.#bytes = 0
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
