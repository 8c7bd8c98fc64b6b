/** The outcome of work raced against a deadline. */
export type Settled<T> = { readonly done: true; readonly value: T } | { readonly done: false }

/**
 * Waits for `work` at most `deadlineMs`. The timer is unref'd and cleared, so a pending
 * deadline never keeps the process alive and never fires after the work is done. A rejection
 * of `work` rejects here too: the caller decides what a failed close means.
 */
export function settleWithin<T>(work: Promise<T>, deadlineMs: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), deadlineMs)
    timer.unref()
  })
  const finished = work.then((value): Settled<T> => ({ done: true, value }))
  return Promise.race([finished, expired]).finally(() => clearTimeout(timer))
}

/**
 * Makes an async close idempotent: the first call starts it, every call gets the same promise.
 */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined
  return () => {
    running ??= fn()
    return running
  }
}
