import { constants, hostname } from 'node:os'
import {
  ConfigError,
  type DeliveryStats,
  ErrorCodes,
  type FlushArgument,
  flushArgument,
  levelLabel,
} from '@pino-advanced/core'
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino'
import { addPythonAliases, type PythonAliases } from './aliases.js'
import { buildDestinations, type Destinations, type FlushResult } from './destinations.js'
import type { HandlerKits } from './handlers.js'
import { DEFAULT_KITS } from './kits.js'
import type { ResolvedLoggerOptions } from './options.js'
import { hasMainThreadHandler, planDestinations } from './plan.js'
import { FilterStage } from './record-filter.js'
import { differingKeys, type HandlerValidators, resolveLoggerOptions } from './resolve-options.js'

/**
 * The pino logger: pino's own options as given, then getLogger's name and level; `context`
 * joins pino's `base` (pid and hostname unless `base` says otherwise), serialised once, not per
 * record; filter_func runs first among the logMethod hooks.
 */
function buildPino(options: ResolvedLoggerOptions, stream: DestinationStream, filter: FilterStage | undefined): Logger {
  const { base, hooks, ...rest } = options.pino
  const fields = base === null ? {} : (base ?? { pid: process.pid, hostname: hostname() })
  return pino(
    {
      ...rest,
      name: options.name,
      level: levelLabel(options.level, options.pino.customLevels),
      base: { ...fields, ...options.context },
      ...(filter || hooks
        ? { hooks: { ...hooks, ...(filter ? { logMethod: filter.hook(hooks?.logMethod) } : {}) } }
        : {}),
    },
    stream,
  )
}

/** filter_func's counts, under `filter`, beside the destinations'. */
const filterStats = (entry: Entry): Record<string, DeliveryStats> =>
  entry.filter === undefined ? {} : { filter: entry.filter.stats() }

const statsOf = (entry: Entry): Record<string, DeliveryStats> => ({
  ...entry.destinations.stats(),
  ...filterStats(entry),
})

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']
/** The longest the application's own signal listeners get to clean up before the shutdown. */
const SIGNAL_CLEANUP_MS = 5000

/** A pino logger (assignable to pino's `Logger`) with the Python aliases, on itself and on every child. */
export type AdvancedLogger = {
  // First, so that a call picks it; pino's own (from Logger) stays beside it: the logger is a
  // pino Logger wherever one is wanted (pino-http's `logger`).
  child(bindings: Bindings, options?: ChildLoggerOptions): AdvancedLogger
} & PythonAliases &
  Logger

/** What `flush()` came to, over every logger. */
export interface RegistryFlushResult {
  /** Every destination of every logger delivered (or dropped, counted) what was logged before. */
  readonly complete: boolean
  /** Counts per logger name, then per destination, as the flush left them (see getStats). */
  readonly stats: Record<string, Record<string, DeliveryStats>>
}

interface Entry {
  readonly logger: AdvancedLogger
  readonly options: ResolvedLoggerOptions
  readonly destinations: Destinations
  /** filter_func's stage, counting what it refused. */
  readonly filter: FilterStage | undefined
  /** A handler runs on this thread: it needs the event loop to deliver at the natural end. */
  readonly onMainThread: boolean
}

/**
 * Configured loggers by name, as Python's logging.getLogger keeps them: the same name gives the
 * same logger. This registry is the preset's one piece of process-wide state, by design.
 */
export class LoggerRegistry {
  readonly #entries = new Map<string, Entry>()
  /** Shut down, still delivering. */
  readonly #closing = new Set<Entry>()
  /** The last counts of loggers shut down, by name, until the name is configured again. */
  readonly #final = new Map<string, Record<string, DeliveryStats>>()
  /** Installed while a logger asks for handleSignals: deliver everything, then exit. */
  #onSignal: ((signal: NodeJS.Signals) => void) | undefined

  readonly #validators: HandlerValidators
  // One listener each for every logger (a listener per logger would trip MaxListeners).
  // Exit: a record logged right before process.exit() or an uncaught exception: what the
  // main thread holds is written (or handed over) synchronously; pino itself ends its workers.
  readonly #onExit = () => {
    for (const entry of [...this.#entries.values(), ...this.#closing]) entry.destinations.exitSync()
  }
  // The natural end (the loop ran dry): a handler on this thread sends over the network,
  // which needs the event loop, so it is closed (delivering what it holds) before the exit.
  readonly #onBeforeExit = () => {
    for (const [key, entry] of this.#entries) if (entry.onMainThread) void this.#close(key, entry)
  }

  constructor(private readonly kits: HandlerKits = DEFAULT_KITS) {
    this.#validators = { http_handler: kits.http.validate, smtp_handler: kits.smtp.validate }
  }

  getLogger(input: unknown = {}): AdvancedLogger {
    const options = resolveLoggerOptions(input, this.#validators)
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
    const plan = planDestinations(options)
    const destinations = buildDestinations(options, plan, this.kits)
    const filter = options.filterFunc && new FilterStage(options.filterFunc)
    const logger = buildPino(options, destinations.stream, filter)
    const entry: Entry = {
      logger: addPythonAliases(logger) as unknown as AdvancedLogger,
      options,
      destinations,
      filter,
      onMainThread: hasMainThreadHandler(plan),
    }
    // pino's logger.flush(cb) calls back once this logger's destinations delivered (children
    // inherit it: pino makes them with Object.create). Never an error for a delivery failure.
    logger.flush = (cb?: (err?: Error) => void) => {
      void destinations.flush().then(() => cb?.())
    }
    this.#entries.set(key, entry)
    this.#final.delete(key)
    this.#listen()
    if (options.handleSignals) this.#handleSignals()
    return entry.logger
  }

  #handleSignals(): void {
    if (this.#onSignal) return
    const onSignal = (signal: NodeJS.Signals) => {
      this.#stopHandlingSignals()
      // Exit as the signal would have (128 + its number), once every destination delivered
      // or its deadline passed.
      const exit = () => void this.shutdown().then(() => process.exit(128 + (constants.signals[signal] as number)))
      // The application's own listeners for this signal run too (Node calls each of them): its
      // cleanup, and what it logs, gets until the event loop runs dry (servers closed) or
      // SIGNAL_CLEANUP_MS, whichever comes first; the loggers stay open meanwhile.
      if (process.listenerCount(signal) === 0) {
        exit()
        return
      }
      const done = () => {
        clearTimeout(timer)
        process.removeListener('beforeExit', done)
        exit()
      }
      const timer = setTimeout(done, SIGNAL_CLEANUP_MS)
      timer.unref()
      process.once('beforeExit', done)
    }
    this.#onSignal = onSignal
    for (const signal of SIGNALS) process.on(signal, onSignal)
  }

  #stopHandlingSignals(): void {
    const onSignal = this.#onSignal
    if (!onSignal) return
    for (const signal of SIGNALS) process.removeListener(signal, onSignal)
    this.#onSignal = undefined
  }

  async #close(key: string, entry: Entry): Promise<void> {
    this.#entries.delete(key)
    // Later calls on a closed logger are dropped, never thrown into the application.
    entry.logger.level = 'silent'
    // Until it is closed the exit path still covers it (closing = delivering, within deadlines).
    this.#closing.add(entry)
    this.#listen()
    await entry.destinations.close()
    this.#closing.delete(entry)
    if (!this.#entries.has(key)) this.#final.set(key, statsOf(entry))
    this.#listen()
  }

  /** The process listeners, installed while there is something for them to do. */
  #listen(): void {
    const exit = this.#entries.size + this.#closing.size > 0
    const beforeExit = [...this.#entries.values()].some((entry) => entry.onMainThread)
    process.removeListener('exit', this.#onExit)
    process.removeListener('beforeExit', this.#onBeforeExit)
    // First: pino's own exit handler blocks this thread until its worker has read everything,
    // and the worker must be told to close (see destinations' exitSync) before that.
    if (exit) process.prependListener('exit', this.#onExit)
    if (beforeExit) process.on('beforeExit', this.#onBeforeExit)
  }

  /** Delivers and closes every destination of every logger (each within its deadline). */
  async shutdown(): Promise<void> {
    this.#stopHandlingSignals()
    await Promise.all([...this.#entries].map(([key, entry]) => this.#close(key, entry)))
  }

  /**
   * Every destination of every logger delivers what was logged before the call, and stays open;
   * within `timeoutMs` (default: each destination's close deadline). Resolves with the counts;
   * never rejects for a delivery failure.
   */
  async flush(options: FlushArgument = {}): Promise<RegistryFlushResult> {
    const { timeoutMs } = flushArgument(options)
    const flushed = await Promise.all(
      [...this.#entries].map(async ([name, entry]): Promise<[string, FlushResult]> => {
        const result = await entry.destinations.flush(timeoutMs)
        return [name, { ...result, stats: { ...result.stats, ...filterStats(entry) } }]
      }),
    )
    return {
      complete: flushed.every(([, result]) => result.complete),
      stats: { ...this.getStats(), ...Object.fromEntries(flushed.map(([name, result]) => [name, result.stats])) },
    }
  }

  /**
   * Counts per logger name ('' for the unnamed logger), then per destination; a logger shut
   * down keeps its final counts here.
   */
  getStats(): Record<string, Record<string, DeliveryStats>> {
    return {
      ...Object.fromEntries(this.#final),
      ...Object.fromEntries([...this.#entries].map(([name, entry]) => [name, statsOf(entry)])),
    }
  }
}
