import type { ResolvedLoggerOptions } from './options.js'

export type FileId = 'console' | 'file' | 'rotating_file' | 'timed_rotating_file'
export type DestinationId = FileId | 'http' | 'smtp'

/** A destination that writes lines into a file (or the console), on either thread. */
export const isFileId = (id: DestinationId): id is FileId => id !== 'http' && id !== 'smtp'

export interface PlannedDestination {
  readonly id: DestinationId
  /** Records below this pino level never reach the destination. */
  readonly level: number
  /** Where it runs: the one pino worker thread, or the application's thread. */
  readonly thread: 'worker' | 'main'
  /** A memory buffer stands in front of it. */
  readonly buffered: boolean
}

/**
 * The one place that decides which destination runs where:
 * - `use_queue`: every destination in one pino worker; the main thread only serialises.
 * - otherwise console and file are written from the main thread (sonic-boom), an SMTP or HTTP
 *   handler with `async: true` runs in the worker shared by such handlers, one with
 *   `async: false` on the main thread's event loop.
 */
export function planDestinations(options: ResolvedLoggerOptions): readonly PlannedDestination[] {
  const plan: PlannedDestination[] = []
  const add = (id: DestinationId, level: number, async: boolean) =>
    plan.push({ id, level, thread: options.useQueue || async ? 'worker' : 'main', buffered: options.useMemoryHandler })
  if (options.console !== undefined) add('console', options.level, false)
  if (options.file !== undefined) add('file', options.level, false)
  if (options.rotatingFile !== undefined) add('rotating_file', options.level, false)
  if (options.timedRotatingFile !== undefined) add('timed_rotating_file', options.level, false)
  if (options.httpHandler) add('http', Math.max(options.level, options.httpHandler.level), options.httpHandler.async)
  if (options.smtpHandler) add('smtp', Math.max(options.level, options.smtpHandler.level), options.smtpHandler.async)
  return Object.freeze(plan)
}

/** The destinations the plan puts on `thread`, in order: each placement has its own builder. */
export const runningOn = (plan: readonly PlannedDestination[], thread: PlannedDestination['thread']) =>
  plan.filter((d) => d.thread === thread)

/** Whether an HTTP or SMTP handler runs on the application's thread (its exit needs a handoff). */
export const hasMainThreadHandler = (plan: readonly PlannedDestination[]): boolean =>
  plan.some((d) => d.thread === 'main' && !isFileId(d.id))
