import { ConfigError } from './errors.js'

/** pino's level numbers. */
export const LEVELS = Object.freeze({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 })

export type LevelName = keyof typeof LEVELS

// Python's names, mapped onto pino's scale (CRITICAL is pino's fatal).
const PYTHON_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  debug: 20,
  info: 30,
  warning: 40,
  warn: 40,
  error: 50,
  critical: 60,
  fatal: 60,
})

const NAMES_BY_NUMBER: ReadonlyMap<number, LevelName> = new Map(
  Object.entries(LEVELS).map(([name, n]) => [n, name as LevelName]),
)

export const LEVEL_HELP =
  "a pino level name (trace debug info warn error fatal), a Python level name (DEBUG INFO WARNING WARN ERROR CRITICAL FATAL, any case) or a pino level number (10, 20, 30, 40, 50, 60; pino's numbers, not Python's)"

/**
 * Resolves a level option to pino's number. Numbers are pino's (40 = warn), never Python's
 * (where 40 would be ERROR): only the six numbers pino defines are accepted, so a Python
 * number such as 35 or a typo fails loudly instead of silently moving the threshold.
 */
export function parseLevel(option: string, value: unknown, custom?: CustomLevels): number {
  if (typeof value === 'number' && (NAMES_BY_NUMBER.has(value) || isCustomNumber(custom, value))) return value
  if (typeof value === 'string') {
    // pino's custom level names are case-sensitive, as pino itself treats them.
    const own = custom !== undefined && Object.hasOwn(custom, value) ? custom[value] : undefined
    if (own !== undefined) return own
    const lower = value.trim().toLowerCase()
    const n = (LEVELS as Record<string, number>)[lower] ?? PYTHON_LEVELS[lower]
    if (n !== undefined) return n
  }
  const extra = custom === undefined ? '' : `, or one of the logger's custom levels (${Object.keys(custom).join(', ')})`
  throw ConfigError.received(option, value, `${LEVEL_HELP}${extra}`)
}

/**
 * A logger's custom levels, name to number (pino's `customLevels`): pino hands them to a
 * single target as its `levels` option.
 */
export type CustomLevels = Readonly<Record<string, number>>

function isCustomNumber(custom: CustomLevels | undefined, value: number): boolean {
  return custom !== undefined && Object.values(custom).includes(value)
}

const PYTHON_NAMES: Readonly<Record<number, string>> = Object.freeze({
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
})

/**
 * Python's levelname for a record's level: its names for pino's numbers (TRACE for pino's
 * trace, which Python lacks), `Level <n>` with Python's number (pino's minus 10) for another
 * number, as Python prints an unnamed level; a label (formatters.level) upper-cased.
 */
export function pythonLevelName(level: number | string): string {
  if (typeof level === 'string') return level.toUpperCase()
  return PYTHON_NAMES[level] ?? `Level ${level - 10}`
}

/** The label of a level number: the logger's custom name for it, else pino's (see levelName). */
export function levelLabel(level: number, custom?: CustomLevels): string {
  if (custom !== undefined) for (const [name, n] of Object.entries(custom)) if (n === level) return name
  return levelName(level)
}

/** pino's name for a level number; a custom number takes the nearest name below it. */
export function levelName(level: number): LevelName {
  let best: LevelName = 'trace'
  for (const [n, name] of NAMES_BY_NUMBER) if (n <= level) best = name
  return best
}
