import { LoggerRegistry } from './get-logger.js'

export type { PythonAliases } from './aliases.js'
export { type AdvancedLogger, LoggerRegistry, type RegistryFlushResult } from './get-logger.js'
export { OPTION_NAMES, type ResolvedHandler, type ResolvedLoggerOptions, resolveLoggerOptions } from './options.js'
export { type DestinationId, type PlannedDestination, planDestinations } from './plan.js'

const registry = new LoggerRegistry()

/** Options of getLogger, under their documented snake_case names or camelCase twins. */
export interface GetLoggerOptions {
  name?: string
  level?: string | number
  console?: boolean
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
  memory_flush_level?: string | number
  memoryFlushLevel?: string | number
  smtp_handler?: Record<string, unknown>
  smtpHandler?: Record<string, unknown>
  http_handler?: Record<string, unknown>
  httpHandler?: Record<string, unknown>
}

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
