import {
  ConfigError,
  describeValue,
  optionPath,
  type RawOptions,
  readEnum,
  readNumber,
  readObject,
  readString,
  readStringRecord,
  rejectUnknownKeys,
} from '@pino-advanced/core'

/** The keys of the `loki` option. */
export const LOKI_OPTION_NAMES = [
  'labels',
  'labelFields',
  'maxLabelSets',
  'line',
  'structuredMetadataFields',
  'tenant',
] as const

/** `record`: pino's JSON line as it is (Loki's `| json` reads it); `message`: its `msg` only. */
export const LOKI_LINES = ['record', 'message'] as const
export type LokiLine = (typeof LOKI_LINES)[number]

export interface ResolvedLokiOptions {
  /** Static labels of every stream, validated names, non-empty values. */
  readonly labels: Readonly<Record<string, string>>
  /** Top-level record fields whose string, number or boolean value becomes a label. */
  readonly labelFields: readonly string[]
  /** Distinct label sets with promoted fields, over the transport's life; past it, not promoted. */
  readonly maxLabelSets: number
  readonly line: LokiLine
  /** Top-level record fields sent as Loki 3 structured metadata (as strings). */
  readonly structuredMetadataFields: readonly string[]
  /** Sent as X-Scope-OrgID (multi-tenant Loki). */
  readonly tenant: string | undefined
}

export const LOKI_DEFAULTS = Object.freeze({ maxLabelSets: 100, line: 'record' } as const)

// Loki's own rule for label names (and Prometheus's).
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
// Loki's default limits.max_label_names_per_series: a stream with more is refused (400).
const MAX_LABEL_NAMES = 15
// Loki's tenant ID rule: up to 150 of these characters, not "." or "..".
const TENANT = /^[a-zA-Z0-9!._*'()-]{1,150}$/
// More streams than this from one process is what the bound exists to prevent.
const MAX_LABEL_SETS = 100_000

function checkLabelName(option: string, name: string): void {
  if (!LABEL_NAME.test(name)) {
    throw ConfigError.invalid(
      option,
      `${describeValue(name)} is not a Loki label name (expected [a-zA-Z_][a-zA-Z0-9_]*)`,
    )
  }
  if (name === 'level') throw ConfigError.invalid(option, `"level" is set from each record's level`)
}

/** A list of top-level field names (an empty list is none), each a valid label name. */
function readFieldNames(prefix: string, options: RawOptions, key: string): readonly string[] {
  const option = optionPath(prefix, key)
  const value = options[key]
  if (value === undefined) return Object.freeze([])
  if (!Array.isArray(value)) {
    throw ConfigError.received(option, value, `a list of top-level field names`)
  }
  for (const name of value) {
    if (typeof name !== 'string')
      throw ConfigError.invalid(option, `received ${describeValue(name)} in the list; expected a string`)
    checkLabelName(option, name)
  }
  return Object.freeze([...new Set(value as string[])])
}

function readLabels(prefix: string, options: RawOptions): Readonly<Record<string, string>> {
  const labels = readStringRecord(prefix, options, 'labels')
  for (const [name, value] of Object.entries(labels)) {
    const option = optionPath(optionPath(prefix, 'labels'), name)
    checkLabelName(option, name)
    // Loki ignores a label with an empty value: a stream of only such labels is refused.
    if (value === '') throw ConfigError.invalid(option, 'a label value cannot be empty')
  }
  return labels
}

/**
 * The `loki` option: undefined unless `format` is `'loki'`, and a ConfigError if it is given
 * with another format. Reads the raw `format` and `method`, which the caller has validated.
 */
export function readLokiOptions(prefix: string, options: RawOptions): ResolvedLokiOptions | undefined {
  const option = optionPath(prefix, 'loki')
  if (options.format !== 'loki') {
    if (options.loki === undefined) return undefined
    throw ConfigError.invalid(option, `the options of format 'loki'; format is '${String(options.format ?? 'json')}'`)
  }
  if (options.method !== undefined && options.method !== 'POST') {
    throw ConfigError.invalid(optionPath(prefix, 'method'), `format 'loki' is sent with POST (Loki's push API)`)
  }
  const loki = readObject(option, options.loki)
  rejectUnknownKeys(option, loki, LOKI_OPTION_NAMES)
  const labels = readLabels(option, loki)
  const labelFields = readFieldNames(option, loki, 'labelFields')
  for (const name of labelFields) {
    if (Object.hasOwn(labels, name)) {
      throw ConfigError.invalid(optionPath(option, 'labelFields'), `"${name}" is already a static label (loki.labels)`)
    }
  }
  // The level label is one more.
  if (Object.keys(labels).length + labelFields.length + 1 > MAX_LABEL_NAMES) {
    throw ConfigError.invalid(
      optionPath(option, 'labelFields'),
      `labels, labelFields and level make more than ${MAX_LABEL_NAMES} label names, Loki's default limit per stream`,
    )
  }
  const structuredMetadataFields = readFieldNames(option, loki, 'structuredMetadataFields')
  for (const name of structuredMetadataFields) {
    if (labelFields.includes(name)) {
      throw ConfigError.invalid(optionPath(option, 'structuredMetadataFields'), `"${name}" is already in labelFields`)
    }
  }
  const tenant = readString(option, loki, 'tenant', undefined)
  if (tenant !== undefined && (!TENANT.test(tenant) || tenant === '.' || tenant === '..')) {
    throw ConfigError.invalid(
      optionPath(option, 'tenant'),
      `${describeValue(tenant)} is not a Loki tenant ID (up to 150 of a-z A-Z 0-9 ! - _ . * ' ( ))`,
    )
  }
  return Object.freeze({
    labels,
    labelFields,
    maxLabelSets: readNumber(option, loki, 'maxLabelSets', LOKI_DEFAULTS.maxLabelSets, {
      min: 1,
      max: MAX_LABEL_SETS,
    }),
    line: readEnum(option, loki, 'line', LOKI_LINES, LOKI_DEFAULTS.line),
    structuredMetadataFields,
    tenant,
  })
}
