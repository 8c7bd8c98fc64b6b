import type { Batch, QueueItem } from '@pino-advanced/core'

/** A batch out of the queue: being sent (`controller` set), or parked until `retryAt`. */
export interface Slot<T extends QueueItem> {
  /** Overflow may empty a parked batch: the slot then takes the next batch when its wait ends. */
  batch: Batch<T>
  /** Failed attempts so far. */
  failures: number
  retryAt: number
  sentAt: number
  controller: AbortController | undefined
}

/** Batches waiting for their retry, oldest first. */
export class RetryPark<T extends QueueItem> {
  #slots: Slot<T>[] = []

  get size(): number {
    return this.#slots.length
  }

  /** Waits for its retry, after every batch parked before it. */
  push(slot: Slot<T>): void {
    this.#slots.push(slot)
  }

  /** First in line: they hold the oldest records of any parked batch taken after them. */
  pushFirst(slots: readonly Slot<T>[]): void {
    this.#slots.unshift(...slots)
  }

  /**
   * Takes out each slot whose wait is over at `now`, oldest first, and gives it to `go`, while
   * `room()` says another may go.
   */
  takeDue(now: number, room: () => boolean, go: (slot: Slot<T>) => void): void {
    for (let i = 0; i < this.#slots.length && room(); ) {
      const slot = this.#slots[i] as Slot<T>
      if (slot.retryAt > now) {
        i++
        continue
      }
      this.#slots.splice(i, 1)
      go(slot)
    }
  }

  /** When the first retry left is due (Infinity when none waits). */
  nextRetryAt(): number {
    let next = Number.POSITIVE_INFINITY
    for (const slot of this.#slots) next = Math.min(next, slot.retryAt)
    return next
  }

  /** Every retry waiting goes at `now` (closing). */
  retryAllAt(now: number): void {
    for (const slot of this.#slots) slot.retryAt = now
  }

  clear(): void {
    this.#slots = []
  }
}
