import type { Clock } from './clock.js'

/**
 * One timer for "the next moment something may be due" (a partial batch's flushIntervalMs, a
 * retry's backoff, the close deadline is separate): asking for a later moment than the one set
 * keeps the earlier; asking for an earlier one moves it.
 */
export class FlushTimer {
  readonly #clock: Clock
  readonly #fire: () => void
  #handle: unknown
  #at = Number.POSITIVE_INFINITY

  constructor(clock: Clock, fire: () => void) {
    this.#clock = clock
    this.#fire = fire
  }

  /** When the timer will fire (Infinity: not set). */
  get at(): number {
    return this.#at
  }

  /** Fires at `at` at the latest. */
  schedule(at: number, now: number): void {
    if (this.#at <= at) return
    this.cancel()
    this.#at = at
    this.#handle = this.#clock.setTimeout(
      () => {
        this.#handle = undefined
        this.#at = Number.POSITIVE_INFINITY
        this.#fire()
      },
      Math.max(0, at - now),
    )
  }

  cancel(): void {
    if (this.#handle === undefined) return
    this.#clock.clearTimeout(this.#handle)
    this.#handle = undefined
    this.#at = Number.POSITIVE_INFINITY
  }
}
