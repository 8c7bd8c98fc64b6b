import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConfigError, createDiagnostics, type DeliveryStats, levelLabel, STATS_EVENT } from '@pino-advanced/core'
import pino, { type DestinationStream, type Level, type StreamEntry } from 'pino'
import type { MemoryOptions } from './destination-specs.js'
import { CLOSE_DEADLINE_MS, type FlushResult, type Wiring } from './destination-wiring.js'
import { handOff } from './exit-handoff.js'
import type { HandlerKits } from './handlers.js'
import { wireMainThread } from './main-thread-destinations.js'
import type { ResolvedLoggerOptions } from './options.js'
import { type PlannedDestination, runningOn } from './plan.js'
import type { QueueStage } from './queue-stage.js'
import { wireWorker } from './worker-destinations.js'

export type { FlushResult }

/** What getLogger wires pino into, and how to flush and close it. */
export interface Destinations {
  /** What pino writes into: one stream, or a multistream over several. */
  readonly stream: DestinationStream
  /**
   * Exit path, synchronous: everything held on the main thread is written, and what its
   * handlers could not send is handed to a child process.
   */
  exitSync(): void
  /**
   * Every destination delivers what it was given so far, and stays open: within `timeoutMs`
   * (default: each destination's close deadline). Never rejects.
   */
  flush(timeoutMs?: number): Promise<FlushResult>
  /** Shutdown: every destination delivered, or its deadline passed. */
  close(): Promise<void>
  /** Latest counts per destination, as the destinations published them. */
  stats(): Record<string, DeliveryStats>
}

/** The queue stage's counts under `queue`, when there is one. */
const queueStats = (stage: QueueStage | undefined): Record<string, DeliveryStats> =>
  stage === undefined ? {} : { queue: stage.stats() }

/** Nothing configured: records go nowhere, quietly. */
const NOWHERE: DestinationStream = { write: () => {} }

function combine(
  entries: readonly StreamEntry[],
  loggerLevel: string,
  custom: Readonly<Record<string, number>> | undefined,
): DestinationStream {
  const [first] = entries
  if (first === undefined) return NOWHERE
  // One destination at the logger's own level needs no multistream in between.
  if (entries.length === 1 && first.level === loggerLevel) return first.stream as DestinationStream
  return pino.multistream([...entries], custom === undefined ? {} : { levels: { ...custom } })
}

/**
 * The file's folder is made and the file opened for appending here, whichever thread writes
 * it: a path that cannot be a log file (a directory, a path under a regular file, no
 * permission) fails in getLogger, as a ConfigError naming `file`, not later in a worker.
 */
function checkFile(option: string, file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    closeSync(openSync(file, 'a'))
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException
    // mkdir says EEXIST (or ENOTDIR, deeper down) when a folder on the way is a regular file.
    const underFile = code === 'ENOTDIR' || code === 'EEXIST'
    // Else EACCES, EROFS...: tests run as root and cannot provoke them.
    /* c8 ignore next */
    const why = code === 'EISDIR' ? 'it is a directory' : underFile ? 'a part of its path is a file' : message
    throw ConfigError.invalid(option, `${file} cannot be opened for appending: ${why}`)
  }
}

export function buildDestinations(
  options: ResolvedLoggerOptions,
  plan: readonly PlannedDestination[],
  kits: HandlerKits,
): Destinations {
  const memory: MemoryOptions = { capacity: options.memoryCapacity, flushLevel: options.memoryFlushLevel }
  const custom = options.pino.customLevels
  // A custom label is a Level to pino once the logger (or the worker) is given its levels.
  const label = (level: number) => levelLabel(level, custom) as Level
  // The files' directories are made here, whichever thread writes them: a bad path fails in getLogger.
  if (options.file !== undefined) checkFile('file', options.file)
  if (options.rotatingFile !== undefined) checkFile('rotating_file.filename', options.rotatingFile.filename)
  if (options.timedRotatingFile !== undefined) {
    checkFile('timed_rotating_file.filename', options.timedRotatingFile.filename)
  }
  const latest: Record<string, DeliveryStats> = {}
  const wiring: Wiring = {
    entries: [],
    flushers: [],
    deliverers: [],
    closers: [],
    handoffs: [],
    collect: (source) =>
      source.on(STATS_EVENT, (stats: DeliveryStats) => {
        latest[stats.destination] = stats
      }),
  }
  // One builder per placement: the plan says where each destination runs.
  wireMainThread(runningOn(plan, 'main'), options, memory, kits, wiring)
  // queue_size's stage in front of the worker, when there is a worker and a bound.
  const stage: QueueStage | undefined = wireWorker(runningOn(plan, 'worker'), options, memory, kits, latest, wiring)
  const { entries, flushers, deliverers, closers, handoffs } = wiring

  return {
    stream: combine(entries, label(options.level), custom),
    exitSync() {
      for (const flush of flushers) flush()
      // Main-thread handlers: what they could not send goes to a child process (exit-handoff.ts).
      if (handoffs.length > 0) {
        handOff(
          handoffs.map((take) => take()),
          CLOSE_DEADLINE_MS,
          createDiagnostics({ source: 'pino-advanced/get-logger' }),
        )
      }
    },
    async flush(timeoutMs) {
      const results = await Promise.all(deliverers.map((deliver) => deliver(timeoutMs)))
      return {
        complete: results.every((result) => result.complete),
        stats: Object.assign({ ...latest }, ...results.map((result) => result.stats), queueStats(stage)),
      }
    },
    async close() {
      await Promise.all(closers.map((close) => close()))
    },
    stats: () => ({ ...latest, ...queueStats(stage) }),
  }
}
