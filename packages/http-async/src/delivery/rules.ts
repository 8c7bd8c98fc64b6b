import type { Batch, Diagnostics, ItemHolder, OverflowPolicy, QueueItem, StatsEmitter } from '@pino-advanced/core'
import type { SendOutcome } from '../outcome.js'
import type { Clock } from './clock.js'

/** Delivers one batch; resolves with what came of it, never rejects (a rejection is retried). */
export type Send<T extends QueueItem = string> = (
  records: readonly T[],
  signal: AbortSignal,
  batch: Batch<T>,
) => Promise<SendOutcome>

export interface DeliveryRules {
  /** Records per request (1 for GET). */
  readonly maxBatchRecords: number
  readonly maxBatchBytes: number
  /** A batch goes this long after its first record at the latest (0: at once). */
  readonly flushIntervalMs: number
  /** Requests in flight at once at most (the adaptive window's ceiling). */
  readonly maxConcurrentRequests: number
  readonly maxBufferBytes: number
  readonly maxRecordBytes: number
  readonly overflow: OverflowPolicy
  readonly maxRetries: number | undefined
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  readonly closeTimeoutMs: number
  readonly statsName: string
}

export interface DeliveryDeps<T extends QueueItem = string> {
  readonly send: Send<T>
  /** Where stats go (the transport stream; in a worker core posts them to the main thread). */
  readonly stats: StatsEmitter
  readonly diagnostics: Diagnostics
  /** Named in messages: `POST https://host/path`. */
  readonly target: string
  readonly clock?: Clock
  readonly random?: () => number
  readonly statsIntervalMs?: number
  /** Told when the queue takes and lets go of records (the stream's TextArena). */
  readonly holder?: ItemHolder<T>
}
