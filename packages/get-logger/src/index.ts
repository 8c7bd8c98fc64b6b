import type { HttpAsyncOptions } from '@pino-advanced/http-async'
import type { SmtpAsyncOptions } from '@pino-advanced/smtp-async'
import { LoggerRegistry } from './get-logger.js'
import type { OptionSpelling, RecordFilter } from './options.js'
import type { PinoLoggerOptions } from './pino-options.js'

export type { PythonAliases } from './aliases.js'
export { type AdvancedLogger, LoggerRegistry, type RegistryFlushResult } from './get-logger.js'
export {
  OPTION_NAMES,
  type RecordFilter,
  type ResolvedHandler,
  type ResolvedLoggerOptions,
} from './options.js'
export { PINO_OPTION_NAMES, type PinoLoggerOptions } from './pino-options.js'
export { type DestinationId, type PlannedDestination, planDestinations } from './plan.js'
export { FILTERED } from './record-filter.js'
export { resolveLoggerOptions } from './resolve-options.js'

const registry = new LoggerRegistry()

/**
 * Options of getLogger, under their documented snake_case names or camelCase twins, and pino's
 * own logger options (redact, serializers, formatters, timestamp, base, mixin, ...) as pino takes them.
 */
export interface GetLoggerOptions extends PinoLoggerOptions {
  name?: string
  level?: string | number
  /** true or 'stdout' (default), 'stderr', or false. */
  console?: boolean | 'stdout' | 'stderr'
  file?: string
  context?: Record<string, unknown>
  use_queue?: boolean
  useQueue?: boolean
  use_memory_handler?: boolean
  useMemoryHandler?: boolean
  /** SIGTERM and SIGINT deliver every destination, then exit (128 + the signal's number). */
  handle_signals?: boolean
  handleSignals?: boolean
  memory_capacity?: number
  memoryCapacity?: number
  /** Records that may wait for the worker once its buffer is full; beyond, dropped (`queue-full`). */
  queue_size?: number
  queueSize?: number
  memory_flush_level?: string | number
  memoryFlushLevel?: string | number
  smtp_handler?: SmtpHandlerOptions
  smtpHandler?: SmtpHandlerOptions
  http_handler?: HttpHandlerOptions
  httpHandler?: HttpHandlerOptions
  /** Options from a .json, .yaml/.yml or .toml file; the call's own arguments win over it. */
  config_path?: string
  /** Other variables for the plain options (`{ level: 'MYAPP_LOG_LEVEL' }`), beside `PINO_ADVANCED_<OPTION>`. */
  config_env?: Readonly<Record<string, string>>
  /** 'color': the console in colour, as pino-pretty prints it; 'json' (default): pino's lines. */
  formatter?: 'json' | 'color'
  /** Python's %-style format for console and file lines: `'%(asctime)s [%(levelname)s] %(name)s: %(message)s'`. */
  fmt?: string
  /** Python's RotatingFileHandler: `app.log`, `app.log.1` (newest) ... `app.log.N`. */
  rotating_file?: RotatingFileOptions
  rotatingFile?: RotatingFileOptions
  /** Python's TimedRotatingFileHandler: `app.log.2026-12-03` and the like. */
  timed_rotating_file?: TimedRotatingFileOptions
  timedRotatingFile?: TimedRotatingFileOptions
  /** Python's filter: returning false drops the record for every destination (counted `filtered`). */
  filter_func?: RecordFilter
  filterFunc?: RecordFilter
}

// Compile-time: GetLoggerOptions documents each option of the table (both spellings) and pino's, and no other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _everyOptionTyped: Same<keyof GetLoggerOptions, OptionSpelling | keyof PinoLoggerOptions> = true

/** `rotating_file`, under Python's names: rotation before a line that would reach max_bytes. */
export interface RotatingFileOptions {
  readonly filename: string
  /** 0 (default): never rotates, as in Python. */
  readonly max_bytes?: number
  /** Backups kept; 0 (default): never rotates, as in Python. */
  readonly backup_count?: number
}

/** `timed_rotating_file`, under Python's names. */
export interface TimedRotatingFileOptions {
  readonly filename: string
  /** Python's `when`, any case: S, M, H (default), D, midnight, W0 (Monday) ... W6. */
  readonly when?: string
  /** Units of `when` per file. Default 1. */
  readonly interval?: number
  /** Rotated files kept; 0 (default): all. */
  readonly backup_count?: number
  /** UTC times and names; default local time. */
  readonly utc?: boolean
}

/** Where a handler runs, and its own level, beside the transport's options. */
export interface HandlerPlacement {
  /** true (default): in pino's worker thread; false: on the application's thread. */
  readonly async?: boolean
  /** Records below it skip the handler (default: the logger's; smtp: 'error'). */
  readonly level?: string | number
}

/** `http_handler`: @pino-advanced/http-async's options, plus where it runs. */
export type HttpHandlerOptions = HttpAsyncOptions & HandlerPlacement

/** `smtp_handler`: @pino-advanced/smtp-async's options, plus where it runs (its level defaults to 'error'). */
export type SmtpHandlerOptions = Omit<SmtpAsyncOptions, 'level'> & HandlerPlacement

/** The logger configured under `options.name`; created on the first call, the same one after. */
export const getLogger = (options: GetLoggerOptions = {}) => registry.getLogger(options)

/** Resolves once every destination delivered what it holds, or its deadline passed. */
export const shutdown = () => registry.shutdown()

/**
 * Resolves once every record logged before the call was delivered (or dropped, counted) by
 * every destination of every logger, or `timeoutMs` passed (default: each destination's close
 * deadline); the loggers stay open. With the counts; never rejects for a delivery failure.
 * For serverless functions: `await flush()` before the handler returns.
 */
export const flush = (options?: { timeoutMs?: number }) => registry.flush(options)

/** Records received, delivered, dropped by reason and still buffered, per logger and destination. */
export const getStats = () => registry.getStats()
