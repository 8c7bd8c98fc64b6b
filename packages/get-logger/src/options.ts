import {
  ConfigError,
  type CustomLevels,
  describeValue,
  ErrorCodes,
  type RawOptions,
  readBoolean,
  readEnum,
  readLevel,
  readNumber,
  readObject,
  readString,
  rejectUnknownKeys,
} from '@pino-advanced/core'
import { OPTIONS as BUFFER_OPTIONS } from '@pino-advanced/memory-buffer'
import { readConfigFile, readEnvironment, withOrigin } from './config-sources.js'
import { compilePercentFormat } from './format/percent-format.js'
import {
  comparablePinoOptions,
  customLevelsOf,
  PINO_OPTION_NAMES,
  type PinoLoggerOptions,
  readPinoOptions,
} from './pino-options.js'
import { type ResolvedRotatingFile, readRotatingFile, readTimedRotatingFile } from './rotation/options.js'

/** Each option under its documented snake_case name and its camelCase twin. */
const TWINS = {
  use_queue: 'useQueue',
  use_memory_handler: 'useMemoryHandler',
  handle_signals: 'handleSignals',
  memory_capacity: 'memoryCapacity',
  memory_flush_level: 'memoryFlushLevel',
  smtp_handler: 'smtpHandler',
  http_handler: 'httpHandler',
  filter_func: 'filterFunc',
  rotating_file: 'rotatingFile',
  timed_rotating_file: 'timedRotatingFile',
  queue_size: 'queueSize',
} as const

const SINGLE_NAMES = [
  'name',
  'level',
  'console',
  'file',
  'context',
  'formatter',
  'fmt',
  'config_path',
  'config_env',
] as const

export const FORMATTERS = ['json', 'color'] as const
export type Formatter = (typeof FORMATTERS)[number]

export const OPTION_NAMES: readonly string[] = Object.freeze([
  ...SINGLE_NAMES,
  ...Object.entries(TWINS).flat(),
  ...PINO_OPTION_NAMES,
])

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

export interface ResolvedLoggerOptions {
  readonly name: string | undefined
  readonly level: number
  /** Where the console destination writes; undefined: no console. */
  readonly console: ConsoleStream | undefined
  readonly file: string | undefined
  /** Python's RotatingFileHandler: by size. */
  readonly rotatingFile: ResolvedRotatingFile | undefined
  /** Python's TimedRotatingFileHandler: by time. */
  readonly timedRotatingFile: ResolvedRotatingFile | undefined
  readonly context: RawOptions
  /** `color`: the console in colour (pino-pretty); `json`: pino's lines. */
  readonly formatter: Formatter
  /** Python's %-style format for console and file lines (checked: see percent-format.ts). */
  readonly fmt: string | undefined
  readonly useQueue: boolean
  readonly useMemoryHandler: boolean
  /** SIGTERM and SIGINT deliver every destination (shutdown), then exit. */
  readonly handleSignals: boolean
  readonly memoryCapacity: number
  /** Records that may wait for the worker once its buffer is full (Python's queue maxsize); undefined: no bound here. */
  readonly queueSize: number | undefined
  readonly memoryFlushLevel: number
  readonly smtpHandler: ResolvedHandler | undefined
  readonly httpHandler: ResolvedHandler | undefined
  /** pino's own logger options, as given (see pino-options.ts). */
  readonly pino: PinoLoggerOptions
  readonly filterFunc: RecordFilter | undefined
  /** The resolved options under their snake_case names, for the same-name comparison. */
  readonly canonical: RawOptions
}

export const CONSOLE_STREAMS = ['stdout', 'stderr'] as const
export type ConsoleStream = (typeof CONSOLE_STREAMS)[number]

/** `console`: true (stdout, pino's default), false, or the stream (Python's library writes to stderr). */
function readConsole(value: unknown): ConsoleStream | undefined {
  if (value === undefined || value === true) return 'stdout'
  if (value === false) return undefined
  if (typeof value === 'string' && (CONSOLE_STREAMS as readonly string[]).includes(value)) return value as ConsoleStream
  throw new ConfigError(
    ErrorCodes.INVALID_OPTION,
    'console',
    `console: received ${describeValue(value)}; expected true (stdout), false, 'stdout' or 'stderr'`,
  )
}

/** `fmt`, compiled once here so that a bad field fails in getLogger, naming it. */
function readFmt(canonical: RawOptions, context: RawOptions): string | undefined {
  const fmt = readString('', canonical, 'fmt', undefined)
  if (fmt !== undefined) compilePercentFormat('fmt', fmt, new Set(Object.keys(context)))
  return fmt
}

function readFilter(value: unknown): RecordFilter | undefined {
  if (value === undefined || typeof value === 'function') return value as RecordFilter | undefined
  throw new ConfigError(
    ErrorCodes.INVALID_OPTION,
    'filter_func',
    `filter_func: received ${describeValue(value)}; expected a function (record) => boolean`,
  )
}

/** Validates the transport-specific part of a handler; supplied by the wiring, per handler. */
export type HandlerValidator = (options: RawOptions, prefix: string) => void

export interface HandlerValidators {
  readonly smtp_handler?: HandlerValidator
  readonly http_handler?: HandlerValidator
}

// The SMTP handler mails errors unless told otherwise; the HTTP handler takes what the logger logs.
const HANDLER_DEFAULT_LEVEL = { smtp_handler: 50, http_handler: undefined } as const

/** Folds camelCase twins onto the snake_case names; both given with different values is an error. */
function canonicalise(raw: RawOptions, spelling: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw }
  for (const [snake, camel] of Object.entries(TWINS)) {
    if (!(camel in out)) continue
    if (snake in out && JSON.stringify(out[snake]) !== JSON.stringify(out[camel])) {
      throw new ConfigError(
        ErrorCodes.INVALID_OPTION,
        camel,
        `${camel}: received ${describeValue(out[camel])} while ${snake} is ${describeValue(out[snake])}; give one of the two`,
      )
    }
    out[snake] = out[camel]
    delete out[camel]
    spelling[snake] = camel
  }
  return out
}

/** An error about a folded twin names the option as the user spelled it (`useQueue`). */
function respell(err: unknown, spelling: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof ConfigError)) return err
  const [head = '', ...rest] = err.option.split('.')
  const spelled = spelling[head]
  if (spelled === undefined) return err
  const option = [spelled, ...rest].join('.')
  return new ConfigError(err.code, option, option + err.message.slice(err.option.length))
}

function resolveHandler(
  prefix: 'smtp_handler' | 'http_handler',
  value: unknown,
  loggerLevel: number,
  validate: HandlerValidator | undefined,
  custom: CustomLevels | undefined,
): ResolvedHandler | undefined {
  if (value === undefined || value === null || value === false) return undefined
  const raw = readObject(prefix, value)
  const { async: _async, level: _level, ...options } = raw
  const resolved = {
    async: readBoolean(prefix, raw, 'async', true),
    level: readLevel(prefix, raw, 'level', HANDLER_DEFAULT_LEVEL[prefix] ?? loggerLevel, custom),
    options: Object.freeze(options),
  }
  validate?.(options, prefix)
  return Object.freeze(resolved)
}

/**
 * Validates every getLogger option in the main thread, before any worker starts, and resolves
 * them into one readonly object. Every mistake is a ConfigError naming the option.
 */
export function resolveLoggerOptions(
  input: unknown,
  validators: HandlerValidators = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLoggerOptions {
  const spelling: Record<string, string> = {}
  const given = canonicalise(readObject('options', input), spelling)
  const { config_path: configPath, config_env: configEnv, ...explicit } = given
  // Precedence: the environment (the operator's override), then the call's own arguments,
  // then the config file, then the defaults.
  const file = configPath === undefined ? {} : canonicalise(readConfigFile(configPath), {})
  const environment = readEnvironment(configEnv, env)
  const origins: Record<string, string> = {}
  for (const key of Object.keys(file)) if (!(key in explicit)) origins[key] = String(configPath)
  Object.assign(origins, environment.origins)
  const canonical = { ...file, ...explicit, ...environment.options }
  try {
    return resolveCanonical(canonical, validators)
  } catch (err) {
    throw withOrigin(respell(err, spelling), origins)
  }
}

function resolveCanonical(canonical: Record<string, unknown>, validators: HandlerValidators): ResolvedLoggerOptions {
  rejectUnknownKeys('', canonical, OPTION_NAMES)
  const pinoOptions = readPinoOptions(canonical)
  const custom = customLevelsOf(pinoOptions)
  const level = readLevel('', canonical, 'level', 30, custom)
  const context = Object.freeze({ ...readObject('context', canonical.context) })
  const buffer = { customLevels: custom, resolved: {} }
  const resolved = {
    name: readString('', canonical, 'name', undefined),
    level,
    console: readConsole(canonical.console),
    file: readString('', canonical, 'file', undefined),
    rotatingFile: readRotatingFile('rotating_file', canonical.rotating_file),
    timedRotatingFile: readTimedRotatingFile('timed_rotating_file', canonical.timed_rotating_file),
    context,
    formatter: readEnum('', canonical, 'formatter', FORMATTERS, 'json'),
    fmt: readFmt(canonical, context),
    useQueue: readBoolean('', canonical, 'use_queue', false),
    useMemoryHandler: readBoolean('', canonical, 'use_memory_handler', false),
    handleSignals: readBoolean('', canonical, 'handle_signals', false),
    // The buffers' own capacity and flushLevel entries: the same bounds and defaults.
    memoryCapacity: BUFFER_OPTIONS.capacity.read('', canonical, 'memory_capacity', buffer),
    queueSize: readNumber('', canonical, 'queue_size', undefined, { min: 1, max: 10_000_000 }),
    memoryFlushLevel: BUFFER_OPTIONS.flushLevel.read('', canonical, 'memory_flush_level', buffer),
    smtpHandler: resolveHandler('smtp_handler', canonical.smtp_handler, level, validators.smtp_handler, custom),
    httpHandler: resolveHandler('http_handler', canonical.http_handler, level, validators.http_handler, custom),
    pino: pinoOptions,
    filterFunc: readFilter(canonical.filter_func),
  }
  // Resolved values under the documented names: 'WARNING' and 40 compare equal, as do an
  // option left out and the same option given at its default.
  const comparable = {
    name: resolved.name,
    level,
    console: resolved.console,
    file: resolved.file,
    rotating_file: resolved.rotatingFile,
    timed_rotating_file: resolved.timedRotatingFile,
    context: resolved.context,
    formatter: resolved.formatter,
    fmt: resolved.fmt,
    use_queue: resolved.useQueue,
    use_memory_handler: resolved.useMemoryHandler,
    handle_signals: resolved.handleSignals,
    memory_capacity: resolved.memoryCapacity,
    queue_size: resolved.queueSize,
    memory_flush_level: resolved.memoryFlushLevel,
    smtp_handler: resolved.smtpHandler,
    http_handler: resolved.httpHandler,
    pino: comparablePinoOptions(pinoOptions),
    filter_func: resolved.filterFunc === undefined ? undefined : `${resolved.filterFunc}`,
  }
  return Object.freeze({ ...resolved, canonical: Object.freeze(comparable) })
}

/** The top-level keys whose values differ between two canonical option sets. */
export function differingKeys(a: RawOptions, b: RawOptions): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort()
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  ) as string
}
