/**
 * Python's TimedRotatingFileHandler schedule (logging/handlers.py), as plain functions of time:
 * when the next rollover is due, and the suffix a rotated file gets. `when` is Python's:
 * S, M, H, D (intervals from the start), midnight, W0-W6 (at midnight, on that weekday; W0 =
 * Monday). Local time unless `utc`.
 */
export const WHEN_VALUES = ['S', 'M', 'H', 'D', 'midnight', 'W0', 'W1', 'W2', 'W3', 'W4', 'W5', 'W6'] as const
export type When = (typeof WHEN_VALUES)[number]

export interface TimedSchedule {
  readonly when: When
  /** `interval` units of `when` (a week for W0-W6; midnight ignores it past 1, as Python does not). */
  readonly interval: number
  readonly utc: boolean
}

const SECOND = 1000
const DAY = 86_400 * SECOND
const UNIT_MS: Readonly<Record<'S' | 'M' | 'H' | 'D', number>> = { S: SECOND, M: 60 * SECOND, H: 3600 * SECOND, D: DAY }

/** The length of one interval, in ms (Python multiplies midnight's and W's day or week too). */
export function intervalMs(schedule: TimedSchedule): number {
  const { when, interval } = schedule
  if (when === 'midnight') return DAY * interval
  if (when.startsWith('W')) return 7 * DAY * interval
  return UNIT_MS[when as 'S' | 'M' | 'H' | 'D'] * interval
}

interface Parts {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hours: number
  readonly minutes: number
  readonly seconds: number
  /** 0 = Monday, as Python's weekday(). */
  readonly weekday: number
  readonly ms: number
}

function parts(at: number, utc: boolean): Parts {
  const d = new Date(at)
  return utc
    ? {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hours: d.getUTCHours(),
        minutes: d.getUTCMinutes(),
        seconds: d.getUTCSeconds(),
        weekday: (d.getUTCDay() + 6) % 7,
        ms: d.getUTCMilliseconds(),
      }
    : {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hours: d.getHours(),
        minutes: d.getMinutes(),
        seconds: d.getSeconds(),
        weekday: (d.getDay() + 6) % 7,
        ms: d.getMilliseconds(),
      }
}

/** The first rollover after `now`: now + interval, or the next midnight (of the weekday). */
export function nextRollover(schedule: TimedSchedule, now: number): number {
  const { when } = schedule
  if (when !== 'midnight' && !when.startsWith('W')) return now + intervalMs(schedule)
  const p = parts(now, schedule.utc)
  const sinceMidnight = ((p.hours * 60 + p.minutes) * 60 + p.seconds) * SECOND + p.ms
  let at = now - sinceMidnight + DAY
  const target = when === 'midnight' ? p.weekday : Number(when.slice(1))
  // Python's rule: the midnight that ends the weekday (tonight's when it is today).
  if (p.weekday !== target) at += (p.weekday < target ? target - p.weekday : 6 - p.weekday + target + 1) * DAY
  return schedule.utc ? at : dstAdjusted(at, now)
}

// Local midnight: a day of 23 or 25 hours between `now` and `at` moves it by the difference.
function dstAdjusted(at: number, now: number): number {
  const shift = (new Date(now).getTimezoneOffset() - new Date(at).getTimezoneOffset()) * 60 * SECOND
  return at - shift
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The suffix of a file rotated out at the start of the interval `start` (Python's formats). */
export function rolloverSuffix(schedule: TimedSchedule, start: number): string {
  const p = parts(start, schedule.utc)
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`
  switch (schedule.when) {
    case 'S':
      return `${date}_${pad(p.hours)}-${pad(p.minutes)}-${pad(p.seconds)}`
    case 'M':
      return `${date}_${pad(p.hours)}-${pad(p.minutes)}`
    case 'H':
      return `${date}_${pad(p.hours)}`
    default:
      return date
  }
}

/** What rotated files' suffixes look like, to find them again for retention. */
export function suffixPattern(when: When): RegExp {
  switch (when) {
    case 'S':
      return /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/
    case 'M':
      return /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}$/
    case 'H':
      return /^\d{4}-\d{2}-\d{2}_\d{2}$/
    default:
      return /^\d{4}-\d{2}-\d{2}$/
  }
}
