/**
 * Resolves once `done()` holds, polled every 5 ms; rejects past `boundMs`, saying `what`.
 *
 *   await until(() => stream.engine.stats().retried >= 5, 'the first timeout')
 *
 * For conditions nothing emits an event for (counters, say); wait for an event where one exists.
 */
export function until(done: () => boolean, what = 'condition', boundMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const poll = setInterval(() => {
      if (done()) {
        clearInterval(poll)
        resolve()
      } else if (Date.now() - started > boundMs) {
        clearInterval(poll)
        reject(new Error(`${what}: not within ${boundMs} ms`))
      }
    }, 5)
  })
}
