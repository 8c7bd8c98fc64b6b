// What every benchmark here shares: alternating rounds, medians, timing a transport, formatting.
import { once } from 'node:events'

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * Runs `a()` and `b()` once each to warm up (not counted), then `rounds` times each,
 * alternating which goes first so that drift (thermal, other load) hits both sides alike.
 * Resolves with every counted result of each side.
 */
export async function alternate(rounds, a, b) {
  const results = { a: [], b: [] }
  await a()
  await b()
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a']
    for (const side of order) results[side].push(await (side === 'a' ? a() : b()))
  }
  return results
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US')

/**
 * Milliseconds from the first `log()` call until the transport has delivered everything and
 * closed (pino unrefs its worker: an interval holds the process open meanwhile).
 */
export async function timeToClose(transport, log) {
  const alive = setInterval(() => {}, 1000)
  const closed = once(transport, 'close')
  const start = process.hrtime.bigint()
  log()
  transport.end()
  await closed
  clearInterval(alive)
  return Number(process.hrtime.bigint() - start) / 1e6
}
