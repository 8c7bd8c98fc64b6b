import { LEVELS } from './levels.js'

const KEY = '"level":'

/**
 * The level of one pino line without parsing it: pino writes `"level":30` (or, with a
 * `formatters.level` that returns the label, `"level":"info"`) near the start of every record.
 * Returns undefined for a line with no readable level. This keeps JSON.parse off the hot path
 * of stages that only need the level.
 */
export function lineLevel(line: string): number | undefined {
  const at = line.indexOf(KEY)
  if (at === -1) return undefined
  let i = at + KEY.length
  while (line.charCodeAt(i) === 32) i++
  const first = line.charCodeAt(i)
  if (first === 34 /* " */) {
    const end = line.indexOf('"', i + 1)
    return (LEVELS as Record<string, number>)[line.slice(i + 1, end)]
  }
  let n = 0
  let digits = 0
  for (let c = first; c >= 48 && c <= 57; c = line.charCodeAt(++i)) {
    n = n * 10 + (c - 48)
    digits++
  }
  return digits === 0 ? undefined : n
}
