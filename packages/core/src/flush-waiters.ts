import { type Clock, SYSTEM_CLOCK } from './clock.js'

/** The timers a FlushWaiters sets (an injected clock in tests); they must not keep the process up. */
export type FlushTimers = Pick<Clock, 'setTimeout' | 'clearTimeout'>

interface Waiter {
  /** Done once the front position reaches this. */
  mark: number
  readonly resolve: (complete: boolean) => void
  readonly timer: unknown
}

/**
 * Flushes in progress over a destination's records in order: a flush marks the position its
 * destination's input had reached, and is done once the front (the oldest record not yet
 * delivered or dropped, in records or bytes as the destination counts) passes it, or at its
 * deadline. While any waits, an interval keeps the process (or worker) up: every other timer
 * is unref'd, and the caller is awaiting.
 */
export class FlushWaiters {
  readonly #timers: FlushTimers
  #waiting: Waiter[] = []
  #keepAlive: NodeJS.Timeout | undefined

  constructor(timers: FlushTimers = SYSTEM_CLOCK) {
    this.#timers = timers
  }

  /** Some flush waits (a batching destination sends what it holds now). */
  get pending(): boolean {
    return this.#waiting.length > 0
  }

  /** Resolves true once the front reaches `mark` (see `review`), false at the deadline. */
  add(mark: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(() => this.#finish(waiter, false), timeoutMs)
      const waiter: Waiter = { mark, resolve, timer }
      this.#waiting.push(waiter)
      this.#keepAlive ??= setInterval(() => {}, 1000)
    })
  }

  /** The front moved to `front`: the flushes it reached are done. */
  review(front: number): void {
    for (const waiter of [...this.#waiting]) if (waiter.mark <= front) this.#finish(waiter, true)
  }

  /**
   * `n` records that were to come after position `end` (waiting outside the queue: a spool's
   * oldest unread ones) were dropped and will never take a position: each flush waiting for
   * some of them waits for that many fewer.
   */
  skip(n: number, end: number): void {
    for (const waiter of this.#waiting) if (waiter.mark > end) waiter.mark -= Math.min(n, waiter.mark - end)
  }

  /** Delivery stopped (closed): every flush ends now, complete if its records were settled. */
  stopAll(front: number): void {
    for (const waiter of [...this.#waiting]) this.#finish(waiter, waiter.mark <= front)
  }

  #finish(waiter: Waiter, complete: boolean): void {
    this.#waiting = this.#waiting.filter((w) => w !== waiter)
    this.#timers.clearTimeout(waiter.timer)
    if (this.#waiting.length === 0) {
      clearInterval(this.#keepAlive)
      this.#keepAlive = undefined
    }
    waiter.resolve(complete)
  }
}
