import type { ResolvedLokiOptions } from './options.js'

// pino's level numbers by name: the names Loki's own level detection uses.
const PINO_LEVEL_PAIRS: ReadonlyMap<number, string> = new Map(
  Object.entries({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }).map(([n, name]) => [
    Number(n),
    `"level":"${name}"`,
  ]),
)

// A stream needs one label at least (Loki refuses a stream without: 400 for the whole batch).
const UNKNOWN_LEVEL = '"level":"unknown"'

// Distinct level values whose label sets are kept (pino's six and a few custom ones).
const MAX_CACHED_LEVELS = 64

// Loki's default limits.max_label_value_length, in bytes: a longer value fails the request.
const MAX_LABEL_VALUE_BYTES = 2048

/** `a` and `b`, pieces of a JSON object's members, joined. */
function join(a: string, b: string): string {
  if (a === '') return b
  return b === '' ? a : `${a},${b}`
}

/** The `"level":"…"` member of a record's level; '' when it has none. */
function levelPair(level: unknown): string {
  if (typeof level === 'number') return PINO_LEVEL_PAIRS.get(level) ?? `"level":"${level}"`
  // pino's formatters.level may write the name itself.
  if (typeof level === 'string' && level !== '') return `"level":${JSON.stringify(level)}`
  return ''
}

/** A field's value as a label value, or undefined when it cannot be one. */
function labelValue(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value === '') return undefined
    // Characters take 1..3 bytes: only a long string needs counting.
    if (value.length * 3 > MAX_LABEL_VALUE_BYTES && Buffer.byteLength(value) > MAX_LABEL_VALUE_BYTES) return undefined
    return value
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/**
 * The label sets of records, as the JSON text of a stream's `stream` object (also the key
 * streams are grouped by: members always in the same order, static labels, promoted fields,
 * level). Distinct sets with promoted fields are bounded over the transport's life: a record
 * whose set would be one too many gets the static labels and level only (its fields stay in
 * its line), so a field with unbounded values cannot make Loki's streams explode.
 */
export class LabelSets {
  readonly #fields: readonly string[]
  readonly #static: string
  readonly #max: number
  readonly #seen = new Set<string>()
  // The sets without promoted labels by level value: the same string every time, so grouping
  // streams by it does not hash a new one per record (a fifth of an encode without this).
  readonly #byLevel = new Map<number | string, string>()
  readonly #plain: string

  constructor(options: ResolvedLokiOptions) {
    this.#fields = options.labelFields
    this.#static = Object.entries(options.labels)
      .map(([name, value]) => `"${name}":${JSON.stringify(value)}`)
      .join(',')
    this.#max = options.maxLabelSets
    this.#plain = this.#close('', '')
  }

  /** The labels of a record that is not a JSON object: the static ones. */
  plain(): string {
    return this.#plain
  }

  /** The labels of a parsed record. */
  of(record: Readonly<Record<string, unknown>>): string {
    let promoted = ''
    for (const field of this.#fields) {
      const value = labelValue(record[field])
      if (value !== undefined) promoted = join(promoted, `"${field}":${JSON.stringify(value)}`)
    }
    if (promoted !== '') {
      const key = this.#close(promoted, levelPair(record.level))
      if (this.#seen.has(key)) return key
      if (this.#seen.size < this.#max) {
        this.#seen.add(key)
        return key
      }
    }
    return this.#unpromoted(record.level)
  }

  #unpromoted(level: unknown): string {
    if (typeof level !== 'number' && typeof level !== 'string') return this.#plain
    const cached = this.#byLevel.get(level)
    if (cached !== undefined) return cached
    const key = this.#close('', levelPair(level))
    // Levels are few; a line with odd ones must not grow this without end.
    if (this.#byLevel.size < MAX_CACHED_LEVELS) this.#byLevel.set(level, key)
    return key
  }

  #close(promoted: string, level: string): string {
    const members = join(join(this.#static, promoted), level)
    return `{${members === '' ? UNKNOWN_LEVEL : members}}`
  }
}
