/**
 * Time, injectable so that batching, retry waits, storm control, flush and close deadlines are
 * tested without waiting. http-async's delivery and smtp-async's storm control share it.
 */
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

/** Runs `fn` after `ms` on `clock`; the returned function cancels it. */
export function after(clock: Clock, ms: number, fn: () => void): () => void {
  const handle = clock.setTimeout(fn, ms)
  return () => clock.clearTimeout(handle)
}
