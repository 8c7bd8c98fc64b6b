import type { BatchQueue, QueueItem } from '@pino-advanced/core'
import { Reasons, type SendOutcome } from '../outcome.js'
import type { Clock } from './clock.js'
import { FlushTimer } from './flush-timer.js'
import type { LifeState } from './lifecycle.js'
import { RetryPark, type Slot } from './retry-park.js'
import type { DeliveryRules, Send } from './rules.js'
import { loadSignal } from './settle.js'
import { AdaptiveWindow } from './window.js'

const CLOSED = new Error('closed')

export interface DispatcherDeps<T extends QueueItem> {
  readonly queue: BatchQueue<T>
  readonly rules: DeliveryRules
  readonly clock: Clock
  readonly send: Send<T>
  /** The engine's lifecycle state now. */
  readonly state: () => LifeState
  /** A partial batch may wait for flushIntervalMs (open, and no flush asks for everything now). */
  readonly lingers: () => boolean
  /** After a pump begun in state `life`: stops (and says true) once everything went after the input ended. */
  readonly drained: (life: LifeState) => boolean
  /** An answer came (while not stopped): settles its batch and pumps on. */
  readonly answered: (slot: Slot<T>, outcome: SendOutcome, now: number) => void
}

/**
 * What goes when: batches cut from the queue by records, bytes and time, and batches whose
 * retry wait is over, sent up to the adaptive window's limit of requests in flight at once; a
 * timer looks again when the next one is due.
 */
export class Dispatcher<T extends QueueItem> {
  /** Batches waiting for their retry, oldest first. */
  readonly parked = new RetryPark<T>()
  readonly #deps: DispatcherDeps<T>
  readonly #sending = new Set<Slot<T>>()
  readonly #timer: FlushTimer
  readonly #window: AdaptiveWindow

  constructor(deps: DispatcherDeps<T>) {
    this.#deps = deps
    this.#timer = new FlushTimer(deps.clock, () => this.pump())
    this.#window = new AdaptiveWindow(deps.rules.maxConcurrentRequests)
  }

  /** Requests the window allows in flight now (1..maxConcurrentRequests). */
  get limit(): number {
    return this.#window.limit
  }

  /** The hot path of push: nothing to do while no slot is free or a timer will look in time. */
  kick(): void {
    if (this.#sending.size + this.parked.size >= this.#window.limit) return
    if (
      !this.#batchFull() &&
      this.#deps.lingers() &&
      this.#timer.at <= (this.#deps.queue.oldestAt as number) + this.#deps.rules.flushIntervalMs
    ) {
      return
    }
    this.pump()
  }

  /** A whole batch waits (by records or bytes): it goes without waiting for flushIntervalMs. */
  #batchFull(): boolean {
    const { queue, rules } = this.#deps
    return queue.waiting >= rules.maxBatchRecords || queue.waitingBytes >= rules.maxBatchBytes
  }

  /** Sends what is due while the window has room; sets the timer for what will be due later. */
  pump(): void {
    const life = this.#deps.state()
    if (life === 'stopped') return
    const now = this.#deps.clock.now()
    const limit = this.#window.limit
    const queue = this.#deps.queue
    const rules = this.#deps.rules
    // Batches whose retry wait is over go first: they hold the oldest records.
    this.parked.takeDue(
      now,
      () => this.#sending.size < limit,
      (slot) => {
        // Overflow dropped its records meanwhile: the wait still held for the endpoint's sake.
        if (slot.batch.items.length === 0) {
          if (queue.waiting === 0) return
          slot.batch = queue.take(rules.maxBatchRecords, rules.maxBatchBytes)
        } else queue.unpark(slot.batch)
        this.#dispatch(slot, now)
      },
    )
    const lingers = this.#deps.lingers()
    while (this.#sending.size + this.parked.size < limit && queue.waiting > 0) {
      if (!this.#batchFull() && lingers && (queue.oldestAt as number) + rules.flushIntervalMs > now) break
      const batch = queue.take(rules.maxBatchRecords, rules.maxBatchBytes)
      this.#dispatch({ batch, failures: 0, retryAt: 0, sentAt: now, controller: undefined }, now)
    }
    if (this.#deps.drained(life)) return
    // What is not due yet: with a slot free, every parked batch left waits for a later retry,
    // and the line for a later flush (closing takes it all). Without one, an answer pumps.
    let next = Number.POSITIVE_INFINITY
    if (this.#sending.size < limit) next = this.parked.nextRetryAt()
    if (queue.waiting > 0 && this.#sending.size + this.parked.size < limit) {
      next = Math.min(next, (queue.oldestAt as number) + rules.flushIntervalMs)
    }
    if (next !== Number.POSITIVE_INFINITY) this.#timer.schedule(next, now)
  }

  #dispatch(slot: Slot<T>, now: number): void {
    const controller = new AbortController()
    slot.controller = controller
    slot.sentAt = now
    this.#sending.add(slot)
    this.#window.sent(this.#sending.size + this.parked.size)
    void this.#exchange(slot, controller.signal)
  }

  async #exchange(slot: Slot<T>, signal: AbortSignal): Promise<void> {
    let outcome: SendOutcome
    try {
      outcome = await this.#deps.send(slot.batch.items, signal, slot.batch)
    } catch (err) {
      // A fault in sending must neither lose the batch nor stop the loop.
      outcome = { kind: 'retry', reason: Reasons.SEND_ERROR, message: `sending failed (${(err as Error)?.message})` }
    }
    this.#sending.delete(slot)
    slot.controller = undefined
    // Close gave up waiting and has already counted this batch.
    if (this.#deps.state() === 'stopped') return
    const now = this.#deps.clock.now()
    this.#window.answered(loadSignal(outcome), now - slot.sentAt, now)
    this.#deps.answered(slot, outcome, now)
  }

  /** Stops sending: the timer is cancelled, what is in flight aborted, the retries forgotten. */
  stop(): void {
    this.#timer.cancel()
    for (const slot of this.#sending) (slot.controller as AbortController).abort(CLOSED)
    this.#sending.clear()
    this.parked.clear()
  }
}
