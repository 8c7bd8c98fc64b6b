import type { EventEmitter } from 'node:events'
import { type DeliveryStats, type FlushOutcome, SHUTDOWN_DEADLINE_MS } from '@pino-advanced/core'
import type { StreamEntry } from 'pino'
import type { HandoffJob } from './exit-handoff.js'

/** The longest a shutdown waits for a transport; under pino's own 10 s exit limit. */
export const CLOSE_DEADLINE_MS = SHUTDOWN_DEADLINE_MS

/** What a flush came to, over the destinations it covered. */
export interface FlushResult {
  /** Every destination delivered (or dropped, counted) everything logged before the flush. */
  readonly complete: boolean
  /** Counts per destination, as the flush left them. */
  readonly stats: Record<string, DeliveryStats>
}

/** What each placement's builder adds its destinations to: getLogger's wiring, gathered. */
export interface Wiring {
  /** What pino writes into, with each stream's level. */
  readonly entries: StreamEntry[]
  /** The exit path's synchronous writes. */
  readonly flushers: (() => void)[]
  /** The destinations' own flushes, each over the destinations it covers. */
  readonly deliverers: ((timeoutMs: number | undefined) => Promise<FlushResult>)[]
  readonly closers: (() => Promise<void>)[]
  /** Main-thread handlers: what they could not send, for the exit handoff's child. */
  readonly handoffs: (() => HandoffJob)[]
  /** Keeps the latest counts `source` publishes. */
  readonly collect: (source: EventEmitter) => void
}

/** Several destinations' flush outcomes as one result. */
export function combineOutcomes(outcomes: readonly FlushOutcome[]): FlushResult {
  return {
    complete: outcomes.every((outcome) => outcome.complete),
    stats: Object.fromEntries(outcomes.map((outcome) => [outcome.stats.destination, outcome.stats])),
  }
}
