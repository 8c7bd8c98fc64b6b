// The transports' own counts, as the benchmarks read them: the `pino-advanced:stats` events
// (a destination in pino's worker posts them; thread-stream emits them on the main thread's
// transport stream; the one seen last, at close, carries the final counts), and the accounting
// every record must pass: received = delivered + dropped + buffered.
import { fmt } from './rounds.mjs'

export const STATS_EVENT = 'pino-advanced:stats'

/**
 * Keeps the last stats event of every destination emitted on `stream` (or, for a
 * pino.multistream, on each of its streams). Returns the live map: destination -> stats.
 */
export function collectStats(stream) {
  const latest = {}
  const sources = Array.isArray(stream.streams) ? stream.streams.map((s) => s.stream) : [stream]
  for (const source of sources) {
    source.on?.(STATS_EVENT, (stats) => {
      latest[stats.destination] = stats
    })
  }
  return latest
}

export const droppedTotal = (stats) => Object.values(stats?.dropped ?? {}).reduce((a, b) => a + b, 0)

/** `reason: n, ...`, or `none`. */
export const dropsText = (dropped = {}) =>
  Object.keys(dropped).length === 0
    ? 'none'
    : Object.entries(dropped)
        .map(([reason, n]) => `${reason}: ${fmt(n)}`)
        .join(', ')

/**
 * What is wrong with a destination's final counts, given the records offered to it and what the
 * sink counted (undefined for a destination without a sink): an empty list when every record is
 * accounted for (received all offered, the identity holds, nothing still buffered, the sink
 * counted exactly what was delivered).
 */
export function accountingProblems(stats, offered, counted) {
  if (stats === undefined) return ['no stats event seen']
  const problems = []
  const dropped = droppedTotal(stats)
  if (stats.received !== offered) problems.push(`received ${fmt(stats.received)} of ${fmt(offered)} offered`)
  if (stats.received !== stats.delivered + dropped + stats.buffered) {
    problems.push(
      `received ${fmt(stats.received)} != delivered ${fmt(stats.delivered)} + dropped ${fmt(dropped)} + buffered ${fmt(stats.buffered)}`,
    )
  }
  if (stats.buffered !== 0) problems.push(`${fmt(stats.buffered)} still buffered at close`)
  if (counted !== undefined && counted !== stats.delivered) {
    problems.push(`the sink counted ${fmt(counted)}, the transport says ${fmt(stats.delivered)} delivered`)
  }
  return problems
}
