import {
  type BatchQueue,
  type DeliveryCounters,
  type Diagnostics,
  decideRetry,
  type QueueItem,
  type RetryRules,
} from '@pino-advanced/core'
import { type PartialOutcome, Reasons, type SendOutcome, TOO_LARGE_REASON } from '../outcome.js'
import type { RetryPark, Slot } from './retry-park.js'
import type { LoadSignal } from './window.js'

/** What the answer to one request says about the endpoint's load (for the adaptive window). */
export function loadSignal(outcome: SendOutcome): LoadSignal {
  if (outcome.kind === 'delivered') return 'ok'
  if (outcome.kind === 'partial') return outcome.retry === undefined ? 'ok' : 'overloaded'
  return outcome.kind === 'retry' && outcome.reason !== Reasons.CLOSED ? 'overloaded' : 'neutral'
}

export interface SettlerDeps<T extends QueueItem> {
  readonly queue: BatchQueue<T>
  readonly counters: DeliveryCounters
  readonly retryRules: RetryRules
  readonly random: () => number
  readonly diagnostics: Diagnostics
  /** Named in messages: `POST https://host/path`. */
  readonly target: string
  /** Where a batch waits for its retry. */
  readonly park: RetryPark<T>
  /** `n` records left the front of the queue's order: the spool may let go of them. */
  readonly released: (n: number) => void
}

/**
 * What an answer does to its batch: delivered, dropped (with a reason), retried after a wait
 * (parked), narrowed to the records an endpoint answering record by record wants again, or
 * split in two (413). Every record is counted once, and said on stderr when it is dropped.
 */
export class Settler<T extends QueueItem> {
  readonly #deps: SettlerDeps<T>
  /** The last failure's message (the close report names it). */
  lastProblem: string | undefined

  constructor(deps: SettlerDeps<T>) {
    this.#deps = deps
  }

  settle(slot: Slot<T>, outcome: SendOutcome, now: number): void {
    const { queue, counters, retryRules, diagnostics, target, park, released } = this.#deps
    const batch = slot.batch
    if (outcome.kind === 'drop' && outcome.reason === TOO_LARGE_REASON && batch.items.length > 1) {
      this.#split(slot, outcome.message, now)
      return
    }
    if (outcome.kind === 'partial') {
      this.#settlePartial(slot, outcome, now)
      return
    }
    const decision = decideRetry(outcome, slot.failures, retryRules, this.#deps.random)
    if (decision.kind === 'delivered') {
      released(queue.delivered(batch))
      return
    }
    const message = (outcome as { message: string }).message
    this.lastProblem = message
    const n = batch.items.length
    if (decision.kind === 'drop') {
      const reason = decision.exhausted ? Reasons.RETRIES_EXHAUSTED : decision.reason
      released(queue.dropBatch(batch, reason))
      const why = decision.exhausted ? `after ${retryRules.maxRetries} retries (maxRetries)` : '(not retried)'
      diagnostics.report(reason, `${target}: ${message}; dropped ${n} records ${why}`)
      return
    }
    counters.retried += n
    slot.failures++
    slot.retryAt = now + decision.delayMs
    queue.park(batch)
    park.push(slot)
    diagnostics.report(
      'retry',
      `${target}: ${message}; retry ${slot.failures} in ${decision.delayMs} ms (${queue.length} records waiting)`,
    )
  }

  /**
   * The endpoint answered record by record: the delivered and refused ones are counted and let
   * go; those to retry stay in the batch, which then takes the retry path on its own.
   */
  #settlePartial(slot: Slot<T>, outcome: PartialOutcome, now: number): void {
    const { queue, counters, diagnostics, target } = this.#deps
    const retry = outcome.retry
    let refused = retry?.indices.length ?? 0
    for (const drop of outcome.drops) refused += drop.count
    counters.delivered += slot.batch.items.length - refused
    for (const drop of outcome.drops) {
      counters.drop(drop.reason, drop.count)
      this.lastProblem = drop.message
      diagnostics.report(drop.reason, `${target}: ${drop.message}; dropped ${drop.count} records (not retried)`)
    }
    if (retry === undefined || retry.indices.length === 0) {
      this.#deps.released(queue.settle(slot.batch))
      return
    }
    queue.narrow(slot.batch, retry.indices)
    this.settle(slot, retry.outcome, now)
  }

  /**
   * The endpoint refused the body as too large (413): each half goes again at once, on its
   * own, down to a single record (which is then dropped, counted as http-413). Not a failure:
   * the halves keep the batch's retry count.
   */
  #split(slot: Slot<T>, message: string, now: number): void {
    const { queue, park } = this.#deps
    const halves = queue.split(slot.batch)
    const slots = halves.map((batch) => ({ ...slot, batch, retryAt: now, controller: undefined }))
    for (const half of halves) queue.park(half)
    // First in line: they hold the oldest records of any parked batch taken after them.
    park.pushFirst(slots)
    // Its own key: the rate limit must not hide the drop of a lone record refused later.
    this.#deps.diagnostics.report(
      'split',
      `${this.#deps.target}: ${message}; split the batch of ${slot.batch.items.length} records in two (${halves[0].items.length} + ${halves[1].items.length})`,
    )
  }
}
