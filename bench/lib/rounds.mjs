// What every benchmark here shares: alternating rounds, medians, timing a transport, formatting.
import { once } from 'node:events'

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * Runs `a()` and `b()` once each to warm up (not counted; `warmUp: false` skips it, for sides
 * that start a fresh process every time), then `rounds` times each, alternating which goes
 * first so that drift (thermal, other load) hits both sides alike.
 * Resolves with every counted result of each side.
 */
export async function alternate(rounds, a, b, { warmUp = true } = {}) {
  const results = { a: [], b: [] }
  if (warmUp) {
    await a()
    await b()
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a']
    for (const side of order) results[side].push(await (side === 'a' ? a() : b()))
  }
  return results
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US')

/** The lowest and highest of `xs`, as `low-high` (the spread printed next to a median). */
export const spread = (xs, format = fmt) => `${format(Math.min(...xs))}-${format(Math.max(...xs))}`

/**
 * Two sides of `alternate()` rounds (milliseconds per round of `records`), for a table: each
 * side's median records/s with the spread of its rounds, and the ratio b / a of the medians
 * with the spread of each pair of rounds run one after the other (the same drift hits both).
 */
export function rateColumns(records, aMs, bMs) {
  const rate = (ms) => records / (ms / 1000)
  const a = rate(median(aMs))
  const b = rate(median(bMs))
  const ratios = aMs.map((ms, i) => ms / bMs[i])
  return {
    a: `${fmt(a)} (${spread(aMs.map(rate))})`,
    b: `${fmt(b)} (${spread(bMs.map(rate))})`,
    ratio: `${(b / a).toFixed(2)} (${spread(ratios, (x) => x.toFixed(2))})`,
  }
}

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
