import { ConfigError, ErrorCodes } from './errors.js'
import { type CustomLevels, parseLevel } from './levels.js'

/** Options as the user wrote them: anything may be in there until it is read. */
export type RawOptions = Readonly<Record<string, unknown>>

/** Joins a parent option path and a key: `http_handler` + `url` gives `http_handler.url`. */
export function optionPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`
}

/** Asserts that an options value is a plain object (structured-clone safe, not an array). */
export function readObject(option: string, value: unknown): RawOptions {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw ConfigError.received(option, value, 'an options object')
  return value as RawOptions
}

// Edit distance, for "did you mean" on typos such as memory_capcity.
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
    }
    prev = row
  }
  return prev[b.length] as number
}

/** Rejects any key not in `known`, naming the closest valid key and listing all of them. */
export function rejectUnknownKeys(prefix: string, options: RawOptions, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const option = optionPath(prefix, key)
    let hint = ''
    let best = 3
    for (const candidate of known) {
      const d = distance(key.toLowerCase(), candidate.toLowerCase())
      if (d < best) {
        best = d
        hint = ` (did you mean ${optionPath(prefix, candidate)}?)`
      }
    }
    throw new ConfigError(
      ErrorCodes.UNKNOWN_OPTION,
      option,
      `${option}: unknown option${hint}; valid options${prefix === '' ? '' : ` of ${prefix}`} are ${known.join(', ')}`,
    )
  }
}

export interface NumberRule {
  readonly min?: number
  readonly max?: number
  /** Whole numbers only (counts, byte sizes, milliseconds). */
  readonly integer?: boolean
}

/** A number within bounds, or `fallback` when absent. */
export function readNumber(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: number,
  rule?: NumberRule,
): number
export function readNumber(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: number | undefined,
  rule?: NumberRule,
): number | undefined
export function readNumber(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: number | undefined,
  rule: NumberRule = {},
): number | undefined {
  const value = options[key]
  if (value === undefined) return fallback
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = rule
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value))
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number'
    throw ConfigError.received(optionPath(prefix, key), value, `${kind} from ${min} to ${max}`)
  }
  return value
}

export function readBoolean(prefix: string, options: RawOptions, key: string, fallback: boolean): boolean {
  const value = options[key]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw ConfigError.received(optionPath(prefix, key), value, 'true or false')
  return value
}

/** A non-empty string, or `fallback` when absent. */
export function readString(prefix: string, options: RawOptions, key: string, fallback: string): string
export function readString(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: string | undefined,
): string | undefined
export function readString(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: string | undefined,
): string | undefined {
  const value = options[key]
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value === '')
    throw ConfigError.received(optionPath(prefix, key), value, 'a non-empty string')
  return value
}

/** A string that must be present. */
export function requireString(prefix: string, options: RawOptions, key: string, what = 'a non-empty string'): string {
  const value = options[key]
  if (value === undefined) {
    const option = optionPath(prefix, key)
    throw new ConfigError(ErrorCodes.MISSING_OPTION, option, `${option}: required; expected ${what}`)
  }
  return readString(prefix, options, key, '')
}

/** One of a fixed set of strings. */
export function readEnum<const T extends string>(
  prefix: string,
  options: RawOptions,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = options[key]
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw ConfigError.received(optionPath(prefix, key), value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
  return value as T
}

/** A level (pino or Python name, or pino number) as pino's number. */
export function readLevel(
  prefix: string,
  options: RawOptions,
  key: string,
  fallback: number,
  custom?: CustomLevels,
): number {
  const value = options[key]
  return value === undefined ? fallback : parseLevel(optionPath(prefix, key), value, custom)
}

/** A string or a list of strings, as a list (at least one). */
export function readStringList(prefix: string, options: RawOptions, key: string): readonly string[] | undefined {
  const value = options[key]
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s !== '')) {
    throw ConfigError.received(optionPath(prefix, key), value, 'a string or a non-empty list of non-empty strings')
  }
  return Object.freeze([...list])
}

/** A flat object of string values (HTTP headers, say). */
export function readStringRecord(prefix: string, options: RawOptions, key: string): Readonly<Record<string, string>> {
  const value = options[key]
  const option = optionPath(prefix, key)
  const record = readObject(option, value)
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== 'string') throw ConfigError.received(optionPath(option, k), v, 'a string')
  }
  return Object.freeze({ ...(record as Record<string, string>) })
}

/** `[user, password]`, as the documented `credentials` option takes them. */
export function readCredentials(
  prefix: string,
  options: RawOptions,
  key: string,
): { readonly user: string; readonly password: string } | undefined {
  const value = options[key]
  if (value === undefined) return undefined
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    value[0] === '' ||
    typeof value[1] !== 'string'
  ) {
    // Never echo the value: it holds a password.
    const option = optionPath(prefix, key)
    throw ConfigError.invalid(option, 'expected [user, password], two strings')
  }
  return Object.freeze({ user: value[0], password: value[1] })
}
