/** Time, injectable so that batching, retry waits and the close deadline can be tested without waiting. */
export interface Clock {
  now(): number
  /** Schedules `fn`; the timer must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: Date.now,
  setTimeout(fn: () => void, ms: number) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return timer
  },
  clearTimeout(handle: unknown) {
    clearTimeout(handle as NodeJS.Timeout)
  },
})
