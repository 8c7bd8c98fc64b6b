// What the live-load benchmarks share (latency, slow-endpoint-rss, cpu-per-record): a steady
// offered load, the bench's record, and waiting for an event with a bound.

/** The record every benchmark here logs (about 150 bytes with pino's time, pid and hostname). */
export function logRecord(logger, i) {
  logger.info({ i, user: 'ada', path: '/api/items', ms: 12.5 }, 'request handled')
}

/**
 * Offers `rate` records/s for `seconds` through `log(i)`, in small ticks (every `tickMs`): each
 * tick logs the records due by then (elapsed time x rate), so the load stays steady and a late
 * tick catches up instead of lowering the total. Resolves with the records offered and the
 * milliseconds the load took; the interval (which also holds the process open) is cleared.
 */
export function steadyLoad(log, { rate, seconds, tickMs = 10 }) {
  const total = Math.round(rate * seconds)
  return new Promise((resolve) => {
    let offered = 0
    const start = performance.now()
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000))
      while (offered < due) log(offered++)
      if (offered < total) return
      clearInterval(timer)
      resolve({ offered, ms: performance.now() - start })
    }
    const timer = setInterval(tick, tickMs)
  })
}

/**
 * `promise`, or a rejection naming `what` if it has not settled within `ms`. The timer is
 * cleared either way; while it runs it holds the process open (pino unrefs its workers).
 */
export async function within(promise, ms, what) {
  let timer
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Milliseconds since `start` (a performance.now() reading). */
export const since = (start) => performance.now() - start
