import type { EventEmitter } from 'node:events'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ConfigError,
  createDiagnostics,
  type DeliveryStats,
  ErrorCodes,
  type FlushOutcome,
  levelLabel,
  STATS_EVENT,
  settleWithin,
} from '@pino-advanced/core'
import { createMemoryBuffer } from '@pino-advanced/memory-buffer'
import pino, { type DestinationStream, type Level, type StreamEntry, type TransportTargetOptions } from 'pino'
import { DeferredStream } from './deferred-stream.js'
import { type HandoffJob, handOff } from './exit-handoff.js'
import { FILE_CLOSE_DEADLINE_MS, FileDestination } from './file-destination.js'
import type { LineFormat } from './format/line-format.js'
import type { HandlerKits } from './handlers.js'
import { packageEntry } from './kits.js'
import type { ResolvedHandler, ResolvedLoggerOptions } from './options.js'
import { type FileId, isFileId, type PlannedDestination } from './plan.js'
import { QueueStage } from './queue-stage.js'
import type { ResolvedRotatingFile } from './rotation/options.js'
import type { RotationPolicy } from './rotation/rotating-file.js'
import { startWorker } from './worker.js'

// getLogger's own worker target for console and file (counted); always the built file.
const FILE_TARGET = fileURLToPath(new URL('../dist/file-target.js', import.meta.url))

/** The longest a shutdown waits for a transport; under pino's own 10 s exit limit. */
const CLOSE_DEADLINE_MS = 9000
// How long past a flush's own deadline the worker's answers may take to arrive.
const FLUSH_ANSWER_GRACE_MS = 1000

/** What a flush came to, over the destinations it covered. */
export interface FlushResult {
  /** Every destination delivered (or dropped, counted) everything logged before the flush. */
  readonly complete: boolean
  /** Counts per destination, as the flush left them. */
  readonly stats: Record<string, DeliveryStats>
}

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

type MemoryOptions = { readonly capacity: number; readonly flushLevel: number }

/** A worker target (or pipeline) for one destination. */
function workerTarget(
  destination: PlannedDestination,
  options: ResolvedLoggerOptions,
  memory: MemoryOptions,
  kits: HandlerKits,
): TransportTargetOptions | { pipeline: TransportTargetOptions[]; level: string } {
  const level = levelLabel(destination.level, options.pino.customLevels)
  const buffer = (extra: Record<string, unknown>) => ({
    target: packageEntry('@pino-advanced/memory-buffer'),
    options: { ...memory, statsName: `memory-buffer:${destination.id}`, ...extra },
  })
  if (isFileId(destination.id)) {
    const file = { target: FILE_TARGET, options: { ...fileSpec(destination.id, options), statsName: destination.id } }
    return destination.buffered ? { pipeline: [buffer({}), file], level } : { ...file, level }
  }
  const final = { target: kits[destination.id].target, options: { ...handlerOptions(destination, options) } }
  return destination.buffered ? { pipeline: [buffer({}), final], level } : { ...final, level }
}

/** Where a file destination writes: the console's fd (stdout 1, stderr 2), or a path and its rotation. */
function fileSpec(
  id: FileId,
  options: ResolvedLoggerOptions,
): { readonly destination: number | string; readonly rotation?: RotationPolicy; readonly format?: LineFormat } {
  const fmt: LineFormat | undefined =
    options.fmt === undefined ? undefined : { kind: 'fmt', fmt: options.fmt, known: Object.keys(options.context) }
  const format = id === 'console' && options.formatter === 'color' ? { kind: 'color' as const } : fmt
  const text = format === undefined ? {} : { format }
  if (id === 'console') return { destination: options.console === 'stderr' ? 2 : 1, ...text }
  if (id === 'file') return { destination: options.file as string, ...text }
  const rotating = (id === 'rotating_file' ? options.rotatingFile : options.timedRotatingFile) as ResolvedRotatingFile
  return { destination: rotating.filename, rotation: rotating.policy, ...text }
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
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: ${file} cannot be opened for appending: ${why}`,
    )
  }
}

/** Several destinations' flush outcomes as one result. */
function combineOutcomes(outcomes: readonly FlushOutcome[]): FlushResult {
  return {
    complete: outcomes.every((outcome) => outcome.complete),
    stats: Object.fromEntries(outcomes.map((outcome) => [outcome.stats.destination, outcome.stats])),
  }
}

function handlerOptions(destination: PlannedDestination, options: ResolvedLoggerOptions) {
  // The plan has an http or smtp destination only when that handler is configured.
  return ((destination.id === 'http' ? options.httpHandler : options.smtpHandler) as ResolvedHandler).options
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
  const entries: StreamEntry[] = []
  const flushers: (() => void)[] = []
  // The destinations' own flushes, each over the destinations it covers.
  const deliverers: ((timeoutMs: number | undefined) => Promise<FlushResult>)[] = []
  const closers: (() => Promise<void>)[] = []
  const handoffs: (() => HandoffJob)[] = []
  const latest: Record<string, DeliveryStats> = {}
  const collect = (source: EventEmitter) =>
    source.on(STATS_EVENT, (stats: DeliveryStats) => {
      latest[stats.destination] = stats
    })

  for (const destination of plan.filter((d) => d.thread === 'main')) {
    if (isFileId(destination.id)) {
      // Opened now, so that the exit path never waits for an open. Synchronous, as pino's own
      // default destination: an asynchronous write still in flight at process.exit() would land
      // out of order or not at all. use_queue moves the I/O off-thread.
      const spec = fileSpec(destination.id, options)
      const fd = destination.id === 'file' ? openSync(spec.destination as string, 'a') : spec.destination
      const diagnostics = createDiagnostics({ source: `pino-advanced/get-logger (${destination.id})` })
      const file = new FileDestination({ ...spec, destination: fd, statsName: destination.id, sync: true }, diagnostics)
      collect(file)
      const buffer = destination.buffered
        ? createMemoryBuffer({ ...memory, statsName: `memory-buffer:${destination.id}` }, file)
        : undefined
      if (buffer) collect(buffer)
      entries.push({ stream: buffer ?? file, level: label(destination.level) })
      flushers.push(() => {
        buffer?.flushSync()
        file.flushSync()
      })
      deliverers.push(async (timeoutMs) => {
        const options = timeoutMs === undefined ? {} : { timeoutMs }
        // The buffer releases into the file at once; both then wait side by side (one deadline).
        return combineOutcomes(await Promise.all([...(buffer ? [buffer.flush(options)] : []), file.flush(options)]))
      })
      closers.push(async () => {
        buffer?.end()
        await file.close(FILE_CLOSE_DEADLINE_MS)
      })
    } else {
      // A handler with async: false, on this thread's event loop.
      const diagnostics = createDiagnostics({ source: `pino-advanced/get-logger (${destination.id})` })
      const kit = kits[destination.id]
      const handlerRaw = handlerOptions(destination, options)
      // Under the name the handler would have counted under (its statsName, or its package's default).
      const name = typeof handlerRaw.statsName === 'string' ? handlerRaw.statsName : `${destination.id}-async`
      const handler = new DeferredStream(kit.create(handlerRaw), diagnostics, name)
      handoffs.push(() => ({ target: kit.target, options: handlerRaw, unsent: handler.takeUnsent() }))
      collect(handler)
      // The buffer's sink only takes lines: the buffer's flush releases into the handler, whose
      // own flush (below) then waits within the flush's timeoutMs (the buffer would flush its
      // sink with the handler's closeTimeoutMs instead).
      const buffer = destination.buffered
        ? createMemoryBuffer(
            { ...memory, statsName: `memory-buffer:${destination.id}` },
            { write: (chunk: string) => handler.write(chunk) },
          )
        : undefined
      if (buffer) {
        collect(buffer)
        flushers.push(() => buffer.flushSync())
      }
      deliverers.push(async (timeoutMs) => {
        const options = timeoutMs === undefined ? {} : { timeoutMs }
        return combineOutcomes(await Promise.all([...(buffer ? [buffer.flush(options)] : []), handler.flush(options)]))
      })
      entries.push({ stream: buffer ?? handler, level: label(destination.level) })
      closers.push(async () => {
        buffer?.end()
        await handler.close(CLOSE_DEADLINE_MS)
      })
    }
  }

  const inWorker = plan.filter((d) => d.thread === 'worker')
  // queue_size's stage in front of the worker, when there is a worker and a bound.
  let stage: QueueStage | undefined
  if (inWorker.length > 0) {
    const worker = startWorker(
      inWorker.map((d) => workerTarget(d, options, memory, kits)),
      createDiagnostics({ source: 'pino-advanced/get-logger' }),
      latest,
      custom,
    )
    collect(worker.transport)
    const queue = options.queueSize === undefined ? undefined : new QueueStage(worker.transport, options.queueSize)
    stage = queue
    entries.push({ stream: queue ?? worker.transport, level: label(Math.min(...inWorker.map((d) => d.level))) })
    flushers.push(() => {
      queue?.release()
      worker.signalClose()
    })
    // A memory buffer stage answers too, beside the destination behind it.
    const expected = inWorker.reduce((n, d) => n + (d.buffered ? 2 : 1), 0)
    deliverers.push(async (timeoutMs) => {
      queue?.release()
      const answers = await worker.flush(timeoutMs, expected, (timeoutMs ?? CLOSE_DEADLINE_MS) + FLUSH_ANSWER_GRACE_MS)
      const result = combineOutcomes([...answers.values()])
      // A destination that did not answer in time (or a worker that died) left records undelivered.
      return answers.size === expected ? result : { ...result, complete: false }
    })
    closers.push(async () => {
      queue?.release()
      await settleWithin(worker.end(CLOSE_DEADLINE_MS), CLOSE_DEADLINE_MS)
    })
  }

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
