import { ConfigError } from './errors.js'
import { type CustomLevels, LEVELS } from './levels.js'
import {
  optionPath,
  type RawOptions,
  readBoolean,
  readEnum,
  readLevel,
  readNumber,
  readObject,
  readString,
  rejectUnknownKeys,
  requireString,
} from './options.js'

/**
 * One table per package says every option once: its reader (type, default, bounds), its
 * one-line doc, the default as the docs write it, and its command-line flag. The resolver,
 * OPTION_NAMES, the exported option type, the CLI's usage and numeric flags, and the check of
 * the README's table all come from it (issue 19: five hand-kept lists used to disagree).
 */

/** What a reader may consult besides its own value. */
export interface ReadContext {
  /** The logger's custom level names (a level option accepts them). */
  readonly customLevels?: CustomLevels | undefined
  /** The options of the same table read so far, in the table's order. */
  readonly resolved: Readonly<Record<string, unknown>>
}

/** A command-line flag of an option. */
export interface CliFlag {
  /** The flag without `--`; default: the option's name. */
  readonly flag?: string
  /** The value's placeholder in the usage (`N`, `LEVEL`); none: a switch. */
  readonly value?: string
  /** All-digit text is a number (counts, milliseconds, an fd). */
  readonly numeric?: boolean
  /** The usage line's text; default: the option's doc and default. */
  readonly doc?: string
}

/** What kind of value an option takes (how text from a flag or a variable reads). */
export type OptionKind = 'number' | 'boolean' | 'string' | 'enum' | 'level' | 'custom'

export interface OptionSpec<In = unknown, Out = unknown, Required extends boolean = boolean> {
  readonly kind: OptionKind
  /** One line: what the option does. */
  readonly doc: string
  /** The default as the docs' tables write it: `100`, `'error'`, `none`, `required`. */
  readonly shown: string
  /** Must be given (so in the exported type too). */
  readonly required: Required
  /** Its flags on the command line; empty: not a flag (nested options, TLS material). */
  readonly cli: readonly CliFlag[]
  readonly read: (prefix: string, options: RawOptions, key: string, context: ReadContext) => Out
  /** Type only: what a user may write. */
  readonly input?: In
}

// biome-ignore lint/suspicious/noExplicitAny: the table's entries differ in their types.
export type OptionTable = Readonly<Record<string, OptionSpec<any, any, boolean>>>

type InputOf<S> = S extends OptionSpec<infer In, unknown, boolean> ? In : never
type RequiredKeys<T> = { [K in keyof T]: T[K] extends { readonly required: true } ? K : never }[keyof T]
type Flatten<T> = { [K in keyof T]: T[K] } & {}

type Inputs<T> = { readonly [K in keyof T]: InputOf<T[K]> }

/**
 * The options a user writes, from the table: required ones required, the rest optional. Built
 * from a homomorphic map with Pick and Omit so that each property keeps the doc comment of its
 * table entry (an editor shows it on hover).
 */
export type OptionsOf<T extends OptionTable> = Flatten<
  Partial<Omit<Inputs<T>, RequiredKeys<T>>> & Pick<Inputs<T>, RequiredKeys<T>>
>

/** Every option read, under its own name. */
export type ReadOf<T extends OptionTable> = {
  readonly [K in keyof T]: ReturnType<T[K]['read']>
}

interface Common {
  readonly doc: string
  /** Overrides the shown default (`'unlimited'`, `'1048576 (1 MiB)'`). */
  readonly shown?: string
  /** Overrides the command-line flags (`[]`: none). */
  readonly cli?: readonly CliFlag[]
}

function spec<In, Out, R extends boolean = false>(
  kind: OptionKind,
  common: Common,
  shown: string,
  cli: readonly CliFlag[],
  read: OptionSpec<In, Out, R>['read'],
  required = false as R,
): OptionSpec<In, Out, R> {
  return Object.freeze({
    kind,
    doc: common.doc,
    shown: common.shown ?? shown,
    required,
    cli: Object.freeze(common.cli ?? cli),
    read,
  })
}

const showNumber = (value: number | undefined): string => (value === undefined ? 'none' : String(value))
const showString = (value: string | undefined): string => (value === undefined ? 'none' : `'${value}'`)

/** Another option of the table bounding this one, read before it. */
export interface Relation {
  readonly option: string
  /** Why, in the error (`such a record could never be held`). */
  readonly why?: string
}

export interface NumberSpec extends Common {
  readonly min?: number
  readonly max?: number
  /** Whole numbers only (the default): counts, bytes, milliseconds. */
  readonly integer?: boolean
  /** At least this other option's value; its default rises to it. */
  readonly atLeast?: Relation
  /** At most this other option's value; its default falls to it. */
  readonly atMost?: Relation
}

function related(context: ReadContext, relation: Relation | undefined): number | undefined {
  return relation === undefined ? undefined : (context.resolved[relation.option] as number)
}

function relationError(prefix: string, key: string, value: number, word: string, relation: Relation, bound: number) {
  const why = relation.why === undefined ? '' : `: ${relation.why}`
  return ConfigError.invalid(
    optionPath(prefix, key),
    `received ${value}; expected ${word} ${relation.option} (${bound})${why}`,
  )
}

/** A number within bounds; `default` absent means none (undefined). */
export function numberOption(options: NumberSpec & { readonly default: number }): OptionSpec<number, number, false>
export function numberOption(options: NumberSpec): OptionSpec<number, number | undefined, false>
export function numberOption(options: NumberSpec & { readonly default?: number }) {
  const rule = { min: options.min, max: options.max, integer: options.integer }
  const { atLeast, atMost } = options
  return spec<number, number | undefined>(
    'number',
    options,
    showNumber(options.default),
    [{ value: 'N', numeric: true }],
    (prefix, raw, key, context) => {
      const low = related(context, atLeast)
      const high = related(context, atMost)
      let fallback = options.default
      if (fallback !== undefined && low !== undefined) fallback = Math.max(fallback, low)
      if (fallback !== undefined && high !== undefined) fallback = Math.min(fallback, high)
      const value = readNumber(prefix, raw, key, fallback, rule)
      if (value === undefined || raw[key] === undefined) return value
      if (low !== undefined && value < low)
        throw relationError(prefix, key, value, 'at least', atLeast as Relation, low)
      if (high !== undefined && value > high)
        throw relationError(prefix, key, value, 'at most', atMost as Relation, high)
      return value
    },
  )
}

export function booleanOption(options: Common & { readonly default: boolean }): OptionSpec<boolean, boolean, false> {
  return spec<boolean, boolean>('boolean', options, String(options.default), [{}], (prefix, raw, key) =>
    readBoolean(prefix, raw, key, options.default),
  )
}

/** A non-empty string. */
export function stringOption(options: Common & { readonly default: string }): OptionSpec<string, string, false>
export function stringOption(
  options: Common & { readonly required: true; readonly expected?: string },
): OptionSpec<string, string, true>
export function stringOption(options: Common): OptionSpec<string, string | undefined, false>
export function stringOption(
  options: Common & { readonly default?: string; readonly required?: boolean; readonly expected?: string },
) {
  if (options.required === true) {
    return spec<string, string, true>(
      'string',
      options,
      'required',
      [{ value: 'TEXT' }],
      (prefix, raw, key) => requireString(prefix, raw, key, options.expected),
      true,
    )
  }
  return spec<string, string | undefined>(
    'string',
    options,
    showString(options.default),
    [{ value: 'TEXT' }],
    (prefix, raw, key) => readString(prefix, raw, key, options.default),
  )
}

/** One of a fixed set of strings. */
export function enumOption<const T extends string>(
  values: readonly T[],
  options: Common & { readonly default: T },
): OptionSpec<T, T, false> {
  return spec<T, T>('enum', options, showString(options.default), [{ value: values.join('|') }], (prefix, raw, key) =>
    readEnum(prefix, raw, key, values, options.default),
  )
}

/** A level: a pino or Python name, a pino number, or a custom level; read as pino's number. */
export function levelOption(
  options: Common & { readonly default: number },
): OptionSpec<string | number, number, false> {
  const name = Object.entries(LEVELS).find(([, n]) => n === options.default)?.[0]
  return spec<string | number, number>(
    'level',
    options,
    name === undefined ? String(options.default) : `'${name}'`,
    [{ value: 'LEVEL', numeric: true }],
    (prefix, raw, key, context) => readLevel(prefix, raw, key, options.default, context.customLevels),
  )
}

/** An option with a reader of its own (a path or an fd, nested options, TLS material). */
export function customOption<In, Out, R extends boolean = false>(
  options: Common & {
    readonly read: OptionSpec<In, Out, R>['read']
    readonly shown: string
    readonly required?: R
  },
): OptionSpec<In, Out, R> {
  return spec<In, Out, R>('custom', options, options.shown, [], options.read, (options.required ?? false) as R)
}

/** The table's option names, in its order. */
export function optionNames<T extends OptionTable>(table: T): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(table))
}

/**
 * Reads every option of `table` from `raw` (an object; unknown keys refused, with a "did you
 * mean"), in the table's order, so that a reader may consult those before it.
 */
export function readOptionTable<T extends OptionTable>(
  table: T,
  prefix: string,
  raw: unknown,
  customLevels?: CustomLevels,
): ReadOf<T> {
  const options = readObject(prefix === '' ? 'options' : prefix, raw)
  rejectUnknownKeys(prefix, options, Object.keys(table))
  return readOptionEntries(table, prefix, options, customLevels)
}

/**
 * Reads every option of `table` from `options`, in the table's order, leaving other keys alone:
 * for a caller whose options are the table's and others (getLogger's and pino's own).
 */
export function readOptionEntries<T extends OptionTable>(
  table: T,
  prefix: string,
  options: RawOptions,
  customLevels?: CustomLevels,
): ReadOf<T> {
  const resolved: Record<string, unknown> = {}
  const context: ReadContext = { customLevels, resolved }
  for (const [key, option] of Object.entries(table)) resolved[key] = option.read(prefix, options, key, context)
  return resolved as ReadOf<T>
}
