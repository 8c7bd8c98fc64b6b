import {
  type Batch,
  BatchQueue,
  DeliveryCounters,
  type DeliveryStats,
  type Diagnostics,
  decideRetry,
  type FlushOutcome,
  FlushWaiters,
  type ItemHolder,
  itemLines,
  type OverflowPolicy,
  once,
  type QueueItem,
  type RetryRules,
  type StatsEmitter,
  StatsReporter,
} from '@pino-advanced/core'
import { type PartialOutcome, Reasons, type SendOutcome, TOO_LARGE_REASON } from '../outcome.js'
import { type Clock, SYSTEM_CLOCK } from './clock.js'
import { reportClose } from './close-report.js'
import { FlushTimer } from './flush-timer.js'
import { Lifecycle } from './lifecycle.js'
import { SourcePause } from './source-pause.js'
import { SpoolPort } from './spool-port.js'
import { AdaptiveWindow, type LoadSignal } from './window.js'

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

/** A batch out of the queue: being sent (`controller` set), or parked until `retryAt`. */
interface Slot<T extends QueueItem> {
  /** Overflow may empty a parked batch: the slot then takes the next batch when its wait ends. */
  batch: Batch<T>
  /** Failed attempts so far. */
  failures: number
  retryAt: number
  sentAt: number
  controller: AbortController | undefined
}

const CLOSED = new Error('closed')

function loadSignal(outcome: SendOutcome): LoadSignal {
  if (outcome.kind === 'delivered') return 'ok'
  if (outcome.kind === 'partial') return outcome.retry === undefined ? 'ok' : 'overloaded'
  return outcome.kind === 'retry' && outcome.reason !== Reasons.CLOSED ? 'overloaded' : 'neutral'
}

/**
 * The delivery coordinator: a bounded queue, batches cut by records, bytes and time, up to the
 * adaptive window's limit of requests in flight at once (each batch settled on its own; a
 * failed one waits for its retry without holding up the others), retries decided by core's
 * policy (capped exponential backoff with full jitter, or the server's Retry-After), and a
 * close bounded by its deadline. Every record is counted received, then delivered or dropped
 * with a reason, exactly once.
 */
export class DeliveryEngine<T extends QueueItem = string> {
  readonly counters: DeliveryCounters
  /** The methods only the durable spool calls. */
  readonly spool: SpoolPort<T>
  readonly #queue: BatchQueue<T>
  readonly #rules: DeliveryRules
  readonly #retryRules: RetryRules
  readonly #send: Send<T>
  readonly #reporter: StatsReporter
  readonly #diagnostics: Diagnostics
  readonly #target: string
  readonly #clock: Clock
  readonly #random: () => number
  readonly #timer: FlushTimer
  readonly #window: AdaptiveWindow
  readonly #life: Lifecycle
  readonly #pause: SourcePause
  readonly #flushes: FlushWaiters
  readonly #sending = new Set<Slot<T>>()
  /** Batches waiting for their retry, oldest first. */
  #parked: Slot<T>[] = []
  #inputEnded = false
  #lastProblem: string | undefined
  /** Records not delivered when the deadline stopped delivery (the close report). */
  #undelivered = 0

  constructor(rules: DeliveryRules, deps: DeliveryDeps<T>) {
    this.#rules = rules
    this.#retryRules = {
      baseDelayMs: rules.retryBaseDelayMs,
      maxDelayMs: rules.retryMaxDelayMs,
      maxRetries: rules.maxRetries,
    }
    this.#send = deps.send
    this.#diagnostics = deps.diagnostics
    this.#target = deps.target
    this.#clock = deps.clock ?? SYSTEM_CLOCK
    this.#random = deps.random ?? Math.random
    this.#pause = new SourcePause(rules.maxBufferBytes)
    this.#timer = new FlushTimer(this.#clock, () => this.#pump())
    this.#flushes = new FlushWaiters(this.#clock)
    this.#window = new AdaptiveWindow(rules.maxConcurrentRequests)
    this.#life = new Lifecycle(this.#clock, rules.closeTimeoutMs, () => this.#stop('deadline'))
    this.counters = new DeliveryCounters(rules.statsName)
    this.#reporter = new StatsReporter(deps.stats, this.counters, deps.statsIntervalMs)
    this.#queue = new BatchQueue<T>(this.counters, {
      maxBytes: rules.maxBufferBytes,
      maxItemBytes: rules.maxRecordBytes,
      overflow: rules.overflow,
      now: this.#clock.now,
      ...(deps.holder === undefined ? {} : { holder: deps.holder }),
    })
    this.spool = new SpoolPort<T>({
      queue: this.#queue,
      counters: this.counters,
      reporter: this.#reporter,
      maxBufferBytes: rules.maxBufferBytes,
      report: (key, message) => this.report(key, message),
      held: () => this.#kick(),
      push: (line, at, offset, bytes) => this.push(line, at, offset, bytes),
      skipped: (n) => {
        this.#flushes.skip(n, this.#queue.endPosition)
        this.#flushed()
      },
    })
  }

  /** Records held (waiting, in flight or waiting for a retry). */
  get held(): number {
    return this.#queue.length
  }

  /** Bytes held (waiting, in flight or waiting for a retry). */
  get bufferedBytes(): number {
    return this.#queue.bytes
  }

  /** Requests the window allows in flight now (1..maxConcurrentRequests). */
  get concurrency(): number {
    return this.#window.limit
  }

  /** The records held (in flight included), oldest first, as lines: for the exit handoff. */
  unsentLines(): string[] {
    const held = this.#queue.held()
    return itemLines(held.items, held.offsets, held.sizes)
  }

  stats(): DeliveryStats {
    return this.counters.snapshot()
  }

  /** Called when the engine, having returned false from push, can take records again. */
  onResume(resume: () => void): void {
    this.#pause.onResume(resume)
  }

  /**
   * One record: a line without its newline (text or bytes), or with `offset` and `bytes` the
   * record's range of a shared chunk; `at` is its arrival time (default: now). Never throws.
   * Returns false when the source should pause: half the buffer is taken while the endpoint is
   * keeping up (a burst, not an outage), so the producer slows instead of overflow dropping
   * records. During an outage (a batch waiting for its retry) it never asks: the buffer bound
   * and `overflow` decide, so memory stays bounded and the application is never held up.
   */
  push(line: T, at?: number, offset?: number, bytes?: number): boolean {
    const life = this.#life.state
    if (life === 'stopped') {
      // Nothing will send it; counted, so the identity still holds.
      this.counters.received++
      if (this.#life.stopReason === 'deadline') {
        this.counters.drop(Reasons.CLOSE_TIMEOUT)
        this.#undelivered++
      } else this.counters.drop(Reasons.CLOSED)
    } else if (this.#queue.push(line, bytes, at, offset)) {
      this.#kick()
      this.#pause.held(this.#queue.bytes, life === 'open' && this.#parked.length === 0)
    }
    // Overflow may have dropped the records a flush waits for.
    this.#flushed()
    this.#reporter.changed()
    return !this.#pause.paused
  }

  /** A record refused on arrival (`reason`): counted received and dropped, reported. */
  refuse(reason: string, message: string): void {
    this.spool.refuse(reason, message)
  }

  /** Says something on stderr about the target (rate-limited per `key`). */
  report(key: string, message: string): void {
    this.#diagnostics.report(key, `${this.#target}: ${message}`)
  }

  /** The hot path of push: nothing to do while no slot is free or a timer will look in time. */
  #kick(): void {
    if (this.#sending.size + this.#parked.length >= this.#window.limit) return
    if (
      !this.#batchFull() &&
      this.#lingers() &&
      this.#timer.at <= (this.#queue.oldestAt as number) + this.#rules.flushIntervalMs
    ) {
      return
    }
    this.#pump()
  }

  /** A partial batch may wait for flushIntervalMs: open, and no flush asks for everything now. */
  #lingers(): boolean {
    return this.#life.state === 'open' && !this.#flushes.pending
  }

  /** A whole batch waits (by records or bytes): it goes without waiting for flushIntervalMs. */
  #batchFull(): boolean {
    const queue = this.#queue
    return queue.waiting >= this.#rules.maxBatchRecords || queue.waitingBytes >= this.#rules.maxBatchBytes
  }

  /** Sends what is due while the window has room; sets the timer for what will be due later. */
  #pump(): void {
    const life = this.#life.state
    if (life === 'stopped') return
    const now = this.#clock.now()
    const limit = this.#window.limit
    // Batches whose retry wait is over go first: they hold the oldest records.
    for (let i = 0; i < this.#parked.length && this.#sending.size < limit; ) {
      const slot = this.#parked[i] as Slot<T>
      if (slot.retryAt > now) {
        i++
        continue
      }
      this.#parked.splice(i, 1)
      // Overflow dropped its records meanwhile: the wait still held for the endpoint's sake.
      if (slot.batch.items.length === 0) {
        if (this.#queue.waiting === 0) continue
        slot.batch = this.#queue.take(this.#rules.maxBatchRecords, this.#rules.maxBatchBytes)
      } else this.#queue.unpark(slot.batch)
      this.#dispatch(slot, now)
    }
    const queue = this.#queue
    const rules = this.#rules
    const lingers = this.#lingers()
    while (this.#sending.size + this.#parked.length < limit && queue.waiting > 0) {
      if (!this.#batchFull() && lingers && (queue.oldestAt as number) + rules.flushIntervalMs > now) break
      const batch = queue.take(rules.maxBatchRecords, rules.maxBatchBytes)
      this.#dispatch({ batch, failures: 0, retryAt: 0, sentAt: now, controller: undefined }, now)
    }
    if (life === 'closing' && this.#inputEnded && queue.length === 0) {
      this.#stop('drained')
      return
    }
    // What is not due yet: with a slot free, every parked batch left waits for a later retry,
    // and the line for a later flush (closing takes it all). Without one, an answer pumps.
    let next = Number.POSITIVE_INFINITY
    if (this.#sending.size < limit) for (const slot of this.#parked) next = Math.min(next, slot.retryAt)
    if (queue.waiting > 0 && this.#sending.size + this.#parked.length < limit) {
      next = Math.min(next, (queue.oldestAt as number) + rules.flushIntervalMs)
    }
    if (next !== Number.POSITIVE_INFINITY) this.#timer.schedule(next, now)
  }

  #dispatch(slot: Slot<T>, now: number): void {
    const controller = new AbortController()
    slot.controller = controller
    slot.sentAt = now
    this.#sending.add(slot)
    this.#window.sent(this.#sending.size + this.#parked.length)
    void this.#exchange(slot, controller.signal)
  }

  async #exchange(slot: Slot<T>, signal: AbortSignal): Promise<void> {
    let outcome: SendOutcome
    try {
      outcome = await this.#send(slot.batch.items, signal, slot.batch)
    } catch (err) {
      // A fault in sending must neither lose the batch nor stop the loop.
      outcome = { kind: 'retry', reason: 'send-error', message: `sending failed (${(err as Error)?.message})` }
    }
    this.#sending.delete(slot)
    slot.controller = undefined
    // Close gave up waiting and has already counted this batch.
    if (this.#life.state === 'stopped') return
    const now = this.#clock.now()
    this.#window.answered(loadSignal(outcome), now - slot.sentAt, now)
    this.#settle(slot, outcome, now)
    this.spool.backlog?.refill()
    this.#flushed()
    this.#reporter.changed()
    this.#pump()
    this.#maybeResume()
  }

  #settle(slot: Slot<T>, outcome: SendOutcome, now: number): void {
    const queue = this.#queue
    const batch = slot.batch
    if (outcome.kind === 'drop' && outcome.reason === TOO_LARGE_REASON && batch.items.length > 1) {
      this.#split(slot, outcome.message, now)
      return
    }
    if (outcome.kind === 'partial') {
      this.#settlePartial(slot, outcome, now)
      return
    }
    const decision = decideRetry(outcome, slot.failures, this.#retryRules, this.#random)
    if (decision.kind === 'delivered') {
      this.#released(queue.delivered(batch))
      return
    }
    const message = (outcome as { message: string }).message
    this.#lastProblem = message
    const n = batch.items.length
    if (decision.kind === 'drop') {
      const reason = decision.exhausted ? Reasons.RETRIES_EXHAUSTED : decision.reason
      this.#released(queue.dropBatch(batch, reason))
      const why = decision.exhausted ? `after ${this.#rules.maxRetries} retries (maxRetries)` : '(not retried)'
      this.#diagnostics.report(reason, `${this.#target}: ${message}; dropped ${n} records ${why}`)
      return
    }
    this.counters.retried += n
    slot.failures++
    slot.retryAt = now + decision.delayMs
    queue.park(batch)
    this.#parked.push(slot)
    this.#diagnostics.report(
      'retry',
      `${this.#target}: ${message}; retry ${slot.failures} in ${decision.delayMs} ms (${queue.length} records waiting)`,
    )
  }

  /**
   * The endpoint answered record by record: the delivered and refused ones are counted and let
   * go; those to retry stay in the batch, which then takes the retry path on its own.
   */
  #settlePartial(slot: Slot<T>, outcome: PartialOutcome, now: number): void {
    const retry = outcome.retry
    let refused = retry?.indices.length ?? 0
    for (const drop of outcome.drops) refused += drop.count
    this.counters.delivered += slot.batch.items.length - refused
    for (const drop of outcome.drops) {
      this.counters.drop(drop.reason, drop.count)
      this.#lastProblem = drop.message
      this.#diagnostics.report(
        drop.reason,
        `${this.#target}: ${drop.message}; dropped ${drop.count} records (not retried)`,
      )
    }
    if (retry === undefined || retry.indices.length === 0) {
      this.#released(this.#queue.settle(slot.batch))
      return
    }
    this.#queue.narrow(slot.batch, retry.indices)
    this.#settle(slot, retry.outcome, now)
  }

  /**
   * The endpoint refused the body as too large (413): each half goes again at once, on its
   * own, down to a single record (which is then dropped, counted as http-413). Not a failure:
   * the halves keep the batch's retry count.
   */
  #split(slot: Slot<T>, message: string, now: number): void {
    const halves = this.#queue.split(slot.batch)
    const slots = halves.map((batch) => ({ ...slot, batch, retryAt: now, controller: undefined }))
    for (const half of halves) this.#queue.park(half)
    // First in line: they hold the oldest records of any parked batch taken after them.
    this.#parked.unshift(...slots)
    // Its own key: the rate limit must not hide the drop of a lone record refused later.
    this.#diagnostics.report(
      'split',
      `${this.#target}: ${message}; split the batch of ${slot.batch.items.length} records in two (${halves[0].items.length} + ${halves[1].items.length})`,
    )
  }

  /** Records left the queue: the flushes whose records have all gone are done. */
  #flushed(): void {
    if (this.#flushes.pending) this.#flushes.review(this.#queue.frontPosition)
  }

  /**
   * Delivers everything held now (what the stream took in so far, records waiting in the spool
   * included), without closing: partial batches go at once, retries keep their backoff.
   * Resolves once every one of them was delivered or dropped (counted), or after `timeoutMs`
   * (default closeTimeoutMs) with `complete: false` (the rest stays buffered). Never rejects.
   */
  async flush(timeoutMs = this.#rules.closeTimeoutMs): Promise<FlushOutcome> {
    const queue = this.#queue
    const mark = queue.endPosition + (this.spool.backlog?.waiting ?? 0)
    // Stopped: nothing more will be delivered here; complete unless records were kept (a spool,
    // the exit handoff) rather than delivered or dropped and counted.
    const complete =
      this.#life.state === 'stopped'
        ? this.counters.buffered === 0
        : queue.frontPosition >= mark || (await this.#waitFor(mark, timeoutMs))
    this.#reporter.publishNow()
    return { complete, stats: this.counters.snapshot() }
  }

  #waitFor(mark: number, timeoutMs: number): Promise<boolean> {
    const done = this.#flushes.add(mark, timeoutMs)
    this.#pump()
    return done
  }

  /** `n` records left the front of the queue's order: the spool may let go of them. */
  #released(n: number): void {
    if (n > 0) this.spool.backlog?.release(n)
  }

  #maybeResume(): void {
    this.#pause.review(this.#queue.bytes, this.#parked.length > 0 || this.#life.state !== 'open')
  }

  /**
   * The close deadline starts now (idempotent): partial batches go at once, a retry waiting for
   * its backoff goes at once, the source is not asked to pause any more. Delivery goes on until
   * the input has ended (`close`) and everything is sent, or until closeTimeoutMs from here.
   */
  beginClose(): void {
    if (!this.#life.beginClosing()) return
    const now = this.#clock.now()
    for (const slot of this.#parked) slot.retryAt = now
    this.#maybeResume()
    this.#pump()
  }

  #stop(reason: 'drained' | 'deadline' | 'abandoned'): void {
    if (!this.#life.stop(reason)) return
    this.#timer.cancel()
    for (const slot of this.#sending) (slot.controller as AbortController).abort(CLOSED)
    this.#sending.clear()
    this.#parked = []
    const backlog = this.spool.backlog
    const front = this.#queue.frontPosition
    if (reason === 'abandoned') this.#queue.forgetAll()
    // With a backlog (the spool) what is left stays there for the next start: not dropped.
    else if (backlog) this.#undelivered = this.#queue.forgetAll() + backlog.waiting
    else this.#undelivered = this.#queue.dropAll(Reasons.CLOSE_TIMEOUT)
    // A flush waiting for records the deadline dropped is done (they are counted); one waiting
    // for records a spool keeps, or another process takes over, is not.
    const kept = reason === 'abandoned' || backlog !== undefined
    this.#flushes.stopAll(kept ? front : this.#queue.frontPosition)
  }

  /**
   * Stops at once, counting nothing: what is held belongs to the backlog, handed to another
   * process (the exit handoff of a spool); anything sent from here would arrive twice.
   */
  abandon(): void {
    this.#stop('abandoned')
  }

  /**
   * The input has ended: sends what is held (retrying as usual) until done or closeTimeoutMs
   * from `beginClose` (called now if it was not); then aborts what is in flight, counts what
   * is left as dropped 'close-timeout' (kept, with a spool) and says so on stderr.
   * Idempotent; always resolves by the deadline.
   */
  readonly close = once(async (): Promise<DeliveryStats> => {
    this.#inputEnded = true
    this.beginClose()
    this.#pump()
    await this.#life.stopped
    // Abandoned: nothing left to deliver or report here.
    if (this.#life.stopReason === 'abandoned') return this.counters.snapshot()
    this.#reporter.publishNow()
    const stats = this.counters.snapshot()
    reportClose(this.#diagnostics, stats, {
      target: this.#target,
      closeTimeoutMs: this.#rules.closeTimeoutMs,
      timedOut: this.#life.stopReason === 'deadline',
      undelivered: this.#undelivered,
      keptIn: this.spool.backlog?.where,
      lastProblem: this.#lastProblem,
    })
    return stats
  })
}
