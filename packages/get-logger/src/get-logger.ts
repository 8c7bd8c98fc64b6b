import { hostname } from 'node:os'
import { ConfigError, type DeliveryStats, ErrorCodes, levelName } from '@pino-advanced/core'
import pino, { type Bindings, type ChildLoggerOptions, type Logger } from 'pino'
import { addPythonAliases, type PythonAliases } from './aliases.js'
import { buildDestinations, type Destinations } from './destinations.js'
import { differingKeys, type HandlerValidators, type ResolvedLoggerOptions, resolveLoggerOptions } from './options.js'
import { planDestinations } from './plan.js'

/** A pino logger with the Python aliases, on itself and on every child. */
export type AdvancedLogger = Omit<Logger, 'child'> &
  PythonAliases & {
    child(bindings: Bindings, options?: ChildLoggerOptions): AdvancedLogger
  }

interface Entry {
  readonly logger: AdvancedLogger
  readonly options: ResolvedLoggerOptions
  readonly destinations: Destinations
  readonly onExit: () => void
}

/**
 * Configured loggers by name, as Python's logging.getLogger keeps them: the same name gives the
 * same logger. This registry is the preset's one piece of process-wide state, by design.
 */
export class LoggerRegistry {
  readonly #entries = new Map<string, Entry>()

  constructor(private readonly validators: HandlerValidators = {}) {}

  getLogger(input: unknown = {}): AdvancedLogger {
    const options = resolveLoggerOptions(input, this.validators)
    const key = options.name ?? ''
    const existing = this.#entries.get(key)
    if (existing) {
      const keys = differingKeys(existing.options.canonical, options.canonical)
      if (keys.length > 0) {
        throw new ConfigError(
          ErrorCodes.CONFLICTING_OPTIONS,
          keys.join(', '),
          `getLogger: the logger ${JSON.stringify(key)} is already configured with other values for ${keys.join(', ')}; call it with the same options, or with another name`,
        )
      }
      return existing.logger
    }
    const destinations = buildDestinations(options, planDestinations(options))
    const logger = pino(
      {
        name: options.name,
        level: levelName(options.level),
        // context fields are serialised once, with pid and hostname, not per record.
        base: { pid: process.pid, hostname: hostname(), ...options.context },
      },
      destinations.stream,
    )
    // A record logged right before process.exit() or an uncaught exception: what the main
    // thread holds is written synchronously; pino itself ends its worker on exit.
    const onExit = () => destinations.flushSync()
    process.on('exit', onExit)
    const entry: Entry = {
      logger: addPythonAliases(logger) as unknown as AdvancedLogger,
      options,
      destinations,
      onExit,
    }
    this.#entries.set(key, entry)
    return entry.logger
  }

  /** Delivers and closes every destination of every logger (each within its deadline). */
  async shutdown(): Promise<void> {
    const entries = [...this.#entries.values()]
    this.#entries.clear()
    await Promise.all(
      entries.map(async (entry) => {
        // Later calls on a closed logger are dropped, never thrown into the application.
        entry.logger.level = 'silent'
        await entry.destinations.close()
        process.removeListener('exit', entry.onExit)
      }),
    )
  }

  /** Counts per logger name ('' for the unnamed logger), then per destination. */
  getStats(): Record<string, Record<string, DeliveryStats>> {
    return Object.fromEntries([...this.#entries].map(([name, entry]) => [name, entry.destinations.stats()]))
  }
}
