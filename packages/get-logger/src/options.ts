import {
  booleanOption,
  ConfigError,
  customOption,
  enumOption,
  levelOption,
  numberOption,
  type OptionKind,
  type OptionSpec,
  type RawOptions,
  type ReadContext,
  readBoolean,
  readLevel,
  readObject,
  readString,
  stringOption,
} from '@pino-advanced/core'
import { OPTIONS as BUFFER_OPTIONS } from '@pino-advanced/memory-buffer'
import { compilePercentFormat } from './format/percent-format.js'
import { PINO_OPTION_NAMES, type PinoLoggerOptions } from './pino-options.js'
import { type ResolvedRotatingFile, readRotatingFile, readTimedRotatingFile } from './rotation/options.js'

export const FORMATTERS = ['json', 'color'] as const
export type Formatter = (typeof FORMATTERS)[number]

/** Python's filter: false drops the record for every destination (counted `filtered`). */
export type RecordFilter = (record: Readonly<Record<string, unknown>>) => boolean

/** A handler's placement options, beside the transport's own options. */
export interface ResolvedHandler {
  /** true: in the worker thread shared by async handlers; false: on the main thread. */
  readonly async: boolean
  /** pino level number below which the handler ignores records. */
  readonly level: number
  /** The transport's own options, as the user wrote them (validated by the transport). */
  readonly options: RawOptions
}

export const CONSOLE_STREAMS = ['stdout', 'stderr'] as const
export type ConsoleStream = (typeof CONSOLE_STREAMS)[number]

/** `console`: true (stdout, pino's default), false, or the stream (Python's library writes to stderr). */
function readConsole(_prefix: string, options: RawOptions, key: string): ConsoleStream | undefined {
  const value = options[key]
  if (value === undefined || value === true) return 'stdout'
  if (value === false) return undefined
  if (typeof value === 'string' && (CONSOLE_STREAMS as readonly string[]).includes(value)) return value as ConsoleStream
  throw ConfigError.received(key, value, `true (stdout), false, 'stdout' or 'stderr'`)
}

function readContext(_prefix: string, options: RawOptions, key: string): RawOptions {
  return Object.freeze({ ...readObject(key, options[key]) })
}

/** `fmt`, compiled once here so that a bad field fails in getLogger, naming it. */
function readFmt(prefix: string, options: RawOptions, key: string, context: ReadContext): string | undefined {
  const fmt = readString(prefix, options, key, undefined)
  if (fmt !== undefined) compilePercentFormat(key, fmt, new Set(Object.keys(context.resolved.context as RawOptions)))
  return fmt
}

function readFilter(_prefix: string, options: RawOptions, key: string): RecordFilter | undefined {
  const value = options[key]
  if (value === undefined || typeof value === 'function') return value as RecordFilter | undefined
  throw ConfigError.received(key, value, `a function (record) => boolean`)
}

/**
 * A handler's placement (`async`, `level`) and the transport's options, checked later by the
 * transport's own validator. `defaultLevel` undefined: the logger's level.
 */
function handlerOption(doc: string, defaultLevel: number | undefined) {
  return customOption<unknown, ResolvedHandler | undefined>({
    doc,
    shown: 'none',
    read: (_prefix, raw, key, context) => {
      const value = raw[key]
      if (value === undefined || value === null || value === false) return undefined
      const given = readObject(key, value)
      const { async: _async, level: _level, ...options } = given
      const level = defaultLevel ?? (context.resolved.level as number)
      return Object.freeze({
        async: readBoolean(key, given, 'async', true),
        level: readLevel(key, given, 'level', level, context.customLevels),
        options: Object.freeze(options),
      })
    },
  })
}

/** How a variable's text reads, for the options the environment may set. */
export type EnvText = 'string' | 'level' | 'console' | 'boolean' | 'number'

const TEXT_OF_KIND: Partial<Record<OptionKind, EnvText>> = { number: 'number', boolean: 'boolean', level: 'level' }

/** An option the environment may set (`PINO_ADVANCED_<OPTION>`); its text reads by the option's kind. */
function fromEnvironment<S extends OptionSpec>(option: S, text?: EnvText): S & { readonly env: EnvText } {
  return Object.freeze({ ...option, env: text ?? TEXT_OF_KIND[option.kind] ?? 'string' })
}

/**
 * Every getLogger option under its documented snake_case name, once (see core's
 * option-table.ts), in the order they are read: a reader may consult those before it (the
 * handlers' default level is the logger's; `fmt`'s fields may name `context` keys).
 */
export const OPTIONS = Object.freeze({
  name: fromEnvironment(stringOption({ doc: "pino's name field on every record; the key of the same-name rule" })),
  level: fromEnvironment(levelOption({ doc: "the logger's level", default: 30 })),
  console: fromEnvironment(
    customOption<boolean | ConsoleStream, ConsoleStream | undefined>({
      doc: "write records to stdout (true or 'stdout'), to stderr ('stderr'), or not at all (false)",
      shown: 'true',
      read: readConsole,
    }),
    'console',
  ),
  file: fromEnvironment(stringOption({ doc: 'also append records to this file' })),
  rotating_file: customOption<unknown, ResolvedRotatingFile | undefined>({
    doc: "Python's RotatingFileHandler: by size",
    shown: 'none',
    read: (_prefix, options, key) => readRotatingFile(key, options[key]),
  }),
  timed_rotating_file: customOption<unknown, ResolvedRotatingFile | undefined>({
    doc: "Python's TimedRotatingFileHandler: by time",
    shown: 'none',
    read: (_prefix, options, key) => readTimedRotatingFile(key, options[key]),
  }),
  context: customOption<Record<string, unknown>, RawOptions>({
    doc: 'fields added to every record',
    shown: 'none',
    read: readContext,
  }),
  formatter: fromEnvironment(
    enumOption(FORMATTERS, {
      doc: "'color': the console in colour (pino-pretty); 'json': pino's lines",
      default: 'json',
    }),
  ),
  fmt: fromEnvironment(
    customOption<string, string | undefined>({
      doc: "Python's %-style format for console and file lines",
      shown: 'none',
      read: readFmt,
    }),
  ),
  use_queue: fromEnvironment(
    booleanOption({ doc: 'every destination runs in one pino worker thread', default: false }),
  ),
  use_memory_handler: fromEnvironment(
    booleanOption({ doc: 'a memory buffer stands in front of every destination', default: false }),
  ),
  handle_signals: fromEnvironment(
    booleanOption({ doc: 'SIGTERM and SIGINT deliver every destination (shutdown), then exit', default: false }),
  ),
  // The buffers' own capacity and flushLevel entries: the same bounds and defaults.
  memory_capacity: fromEnvironment({ ...BUFFER_OPTIONS.capacity, doc: 'records each buffer holds' }),
  queue_size: fromEnvironment(
    numberOption({
      doc: "records that may wait for the worker once its buffer is full (Python's queue maxsize)",
      min: 1,
      max: 10_000_000,
    }),
  ),
  memory_flush_level: fromEnvironment({
    ...BUFFER_OPTIONS.flushLevel,
    doc: 'a record at or above this level releases the buffer',
  }),
  // The SMTP handler mails errors unless told otherwise; the HTTP handler takes what the logger logs.
  smtp_handler: handlerOption('smtp-async options, plus async (default true) and level (default error)', 50),
  http_handler: handlerOption(
    "http-async options, plus async (default true) and level (default: the logger's)",
    undefined,
  ),
  filter_func: customOption<RecordFilter, RecordFilter | undefined>({
    doc: "Python's filter: false drops the record for every destination",
    shown: 'none',
    read: readFilter,
  }),
})

export type OptionName = keyof typeof OPTIONS

/** Where options come from besides the call: read before the table (see resolveLoggerOptions). */
export const SOURCE_NAMES = Object.freeze(['config_path', 'config_env'] as const)

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S

/** Every getLogger option name a user may write, pino's aside: the table's, their twins, the sources. */
export type OptionSpelling = OptionName | Camel<OptionName> | (typeof SOURCE_NAMES)[number]

/** `use_queue` as `useQueue`: an option's twin, and its name in ResolvedLoggerOptions. */
export const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())

/** Each snake_case option's camelCase twin (`use_queue`, `useQueue`): both spellings are accepted. */
export const TWINS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.keys(OPTIONS)
      .filter((key) => key.includes('_'))
      .map((key) => [key, camel(key)]),
  ),
)

/** The plain options the environment may set, with how a variable's text reads. */
export const ENV_TEXT: Readonly<Record<string, EnvText>> = Object.freeze(
  Object.fromEntries(
    Object.entries(OPTIONS).flatMap(([key, option]) => ('env' in option ? [[key, option.env as EnvText]] : [])),
  ),
)

export const OPTION_NAMES: readonly string[] = Object.freeze([
  ...Object.keys(OPTIONS),
  ...Object.values(TWINS),
  ...SOURCE_NAMES,
  ...PINO_OPTION_NAMES,
])

/** Every option resolved, under its camelCase name, with pino's options and the comparable form. */
export type ResolvedLoggerOptions = {
  readonly [K in OptionName as Camel<K>]: ReturnType<(typeof OPTIONS)[K]['read']>
} & {
  /** pino's own logger options, as given (see pino-options.ts). */
  readonly pino: PinoLoggerOptions
  /** The resolved options under their snake_case names, for the same-name comparison. */
  readonly canonical: RawOptions
}
