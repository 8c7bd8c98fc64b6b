import { fileURLToPath } from 'node:url'
import { createDiagnostics, type DeliveryStats, levelLabel, settleWithin } from '@pino-advanced/core'
import type { Level, TransportTargetOptions } from 'pino'
import { fileSpec, handlerOptions, type MemoryOptions } from './destination-specs.js'
import { CLOSE_DEADLINE_MS, combineOutcomes, type Wiring } from './destination-wiring.js'
import type { HandlerKits } from './handlers.js'
import { packageEntry } from './kits.js'
import type { ResolvedLoggerOptions } from './options.js'
import { isFileId, type PlannedDestination } from './plan.js'
import { QueueStage } from './queue-stage.js'
import { startWorker } from './worker.js'

// getLogger's own worker target for console and file (counted); always the built file.
const FILE_TARGET = fileURLToPath(new URL('../dist/file-target.js', import.meta.url))

// How long past a flush's own deadline the worker's answers may take to arrive.
const FLUSH_ANSWER_GRACE_MS = 1000

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

/**
 * The destinations the plan puts in the one pino worker (none: nothing is started), added to
 * `wiring`; returns queue_size's stage in front of the worker, when there is a bound.
 */
export function wireWorker(
  planned: readonly PlannedDestination[],
  options: ResolvedLoggerOptions,
  memory: MemoryOptions,
  kits: HandlerKits,
  latest: Record<string, DeliveryStats>,
  { entries, flushers, deliverers, closers, collect }: Wiring,
): QueueStage | undefined {
  if (planned.length === 0) return undefined
  const custom = options.pino.customLevels
  const worker = startWorker(
    planned.map((d) => workerTarget(d, options, memory, kits)),
    createDiagnostics({ source: 'pino-advanced/get-logger' }),
    latest,
    custom,
  )
  collect(worker.transport)
  const queue = options.queueSize === undefined ? undefined : new QueueStage(worker.transport, options.queueSize)
  const level = levelLabel(Math.min(...planned.map((d) => d.level)), custom) as Level
  entries.push({ stream: queue ?? worker.transport, level })
  flushers.push(() => {
    queue?.release()
    worker.signalClose()
  })
  // A memory buffer stage answers too, beside the destination behind it.
  const expected = planned.reduce((n, d) => n + (d.buffered ? 2 : 1), 0)
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
  return queue
}
