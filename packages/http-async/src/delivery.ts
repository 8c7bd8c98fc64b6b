import {
  type Batch,
  BatchQueue,
  DeliveryCounters,
  type DeliveryStats,
  type Diagnostics,
  type ItemHolder,
  itemLines,
  type OverflowPolicy,
  once,
  type QueueItem,
  retryDelayMs,
  type StatsEmitter,
  StatsReporter,
  settleWithin,
} from '@pino-advanced/core'
import { Reasons, type SendOutcome } from './outcome.js'

/** Time, injectable so that batching and retry waits can be tested without waiting. */
export interface Clock {
  now(): number
  /** Schedules `fn`; the timer must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: Date.now,
  setTimeout(fn: () => void, ms: number) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return timer
  },
  clearTimeout(handle: unknown) {
    clearTimeout(handle as NodeJS.Timeout)
  },
})

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

/**
 * Records kept outside the engine's memory (the durable spool): read into the queue as it has
 * room, told when records leave the head of the queue, and kept, not dropped, at close.
 */
export interface Backlog {
  /** The `n` oldest records held left the queue (delivered, or dropped and counted). */
  release(n: number): void
  /** Moves waiting records into the queue (with `hold`) while it has room. */
  refill(): void
  /** Records waiting outside the queue. */
  readonly waiting: number
  /** Named in the close report: where undelivered records are kept. */
  readonly where: string
}

/**
 * The delivery loop: a bounded queue, batches cut by records, bytes and time, one request in
 * flight at a time (so order is kept, retries included), retries with capped exponential
 * backoff and full jitter or the server's Retry-After, and a close bounded by its deadline.
 * Every record is counted received, then delivered or dropped with a reason, exactly once.
 */
export class DeliveryEngine<T extends QueueItem = string> {
  readonly counters: DeliveryCounters
  readonly #queue: BatchQueue<T>
  readonly #rules: DeliveryRules
  readonly #send: Send<T>
  readonly #reporter: StatsReporter
  readonly #diagnostics: Diagnostics
  readonly #target: string
  readonly #clock: Clock
  readonly #random: () => number
  #timer: unknown
  #timerAt = Number.POSITIVE_INFINITY
  #sending = false
  #inFlight: AbortController | undefined
  /** Consecutive failed attempts of the batch at the head. */
  #attempt = 0
  /** No request before this time (a retry wait). */
  #waitUntil = 0
  #closing = false
  #stopped = false
  #lastProblem: string | undefined
  #drained: (() => void) | undefined
  /** Asked the source to pause (see push); `#resume` lets it go on. */
  #backlogged = false
  #resume: (() => void) | undefined
  readonly #highWaterBytes: number
  #backlog: Backlog | undefined

  constructor(rules: DeliveryRules, deps: DeliveryDeps<T>) {
    this.#rules = rules
    this.#send = deps.send
    this.#diagnostics = deps.diagnostics
    this.#target = deps.target
    this.#clock = deps.clock ?? SYSTEM_CLOCK
    this.#random = deps.random ?? Math.random
    this.#highWaterBytes = Math.floor(rules.maxBufferBytes / 2)
    this.counters = new DeliveryCounters(rules.statsName)
    this.#reporter = new StatsReporter(deps.stats, this.counters, deps.statsIntervalMs)
    this.#queue = new BatchQueue<T>(this.counters, {
      maxBytes: rules.maxBufferBytes,
      maxItemBytes: rules.maxRecordBytes,
      overflow: rules.overflow,
      now: this.#clock.now,
      ...(deps.holder === undefined ? {} : { holder: deps.holder }),
    })
  }

  /** Records held (waiting or in flight). */
  get held(): number {
    return this.#queue.length
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
    this.#resume = resume
  }

  /**
   * One record: a line without its newline (text or bytes), or with `offset` and `bytes` the
   * record's range of a shared chunk; `at` is its arrival time (default: now). Never throws.
   * Returns false when the source should pause: half the buffer is taken while the endpoint is keeping up (a burst, not an
   * outage), so pino's own backpressure slows the producer instead of overflow dropping
   * records. During an outage (a batch waiting to be retried) it never asks: the buffer
   * bound and `overflow` decide, so memory stays bounded and the application is never held up.
   */
  push(line: T, at?: number, offset?: number, bytes?: number): boolean {
    if (this.#stopped) {
      // Closed: nothing will send it. Counted, so the identity still holds.
      this.counters.received++
      this.counters.drop(Reasons.CLOSED)
    } else if (this.#queue.push(line, bytes, at, offset)) {
      this.#kick()
      if (this.#queue.bytes >= this.#highWaterBytes && this.#attempt === 0) this.#backlogged = true
    }
    this.#reporter.changed()
    return !this.#backlogged
  }

  /** Whether a record of `bytes` fits in the buffer now (any record does when it is empty). */
  hasRoom(bytes: number): boolean {
    return this.#queue.length === 0 || this.#queue.bytes + bytes <= this.#rules.maxBufferBytes
  }

  /** Bytes the buffer can take before `maxBufferBytes`. */
  get roomBytes(): number {
    return this.#rules.maxBufferBytes - this.#queue.bytes
  }

  /** Records kept outside memory from now on (see Backlog); they count as received already. */
  attach(backlog: Backlog): void {
    this.#backlog = backlog
  }

  /** No backlog any more (the spool failed): memory only, bounded by maxBufferBytes and overflow. */
  detach(): void {
    this.#backlog = undefined
  }

  /**
   * A record already counted received (see `accepted`), held with no bound applied: the
   * backlog checked `hasRoom`. The backlog never asks its source to pause.
   */
  hold(line: T, at: number, offset: number, bytes: number): void {
    this.#queue.hold(line, bytes, at, offset)
    this.#kick()
    this.#reporter.changed()
  }

  /** `n` records arrived that the backlog keeps (counted received now, held later). */
  accepted(n: number): void {
    this.counters.received += n
    this.#reporter.changed()
  }

  /** Says something on stderr about the target (rate-limited per `key`). */
  report(key: string, message: string): void {
    this.#diagnostics.report(key, `${this.#target}: ${message}`)
  }

  /** `n` records the backlog held were lost (`reason`): counted dropped, reported. */
  dropKept(reason: string, n: number, message: string): void {
    this.counters.drop(reason, n)
    this.report(reason, message)
    this.#reporter.changed()
  }

  /** A record refused on arrival (`reason`): counted received and dropped, reported. */
  refuse(reason: string, message: string): void {
    this.counters.received++
    this.counters.drop(reason)
    this.report(reason, message)
    this.#reporter.changed()
  }

  #maybeResume(): void {
    if (!this.#backlogged) return
    if (this.#queue.bytes < this.#highWaterBytes || this.#attempt > 0 || this.#closing) {
      this.#backlogged = false
      this.#resume?.()
    }
  }

  /** Sends now if a batch is due; otherwise makes sure a timer will look again when it is. */
  #kick(): void {
    if (this.#sending || this.#stopped) return
    const queue = this.#queue
    const rules = this.#rules
    const full = queue.length >= rules.maxBatchRecords || queue.bytes >= rules.maxBatchBytes
    // The hot path: a timer is set and nothing makes the batch due sooner than it.
    if (this.#timer !== undefined && !full && !this.#closing) return
    const oldestAt = queue.oldestAt
    if (oldestAt === undefined) {
      this.#drained?.()
      return
    }
    const now = this.#clock.now()
    let dueAt = now
    if (this.#waitUntil > now) dueAt = this.#waitUntil
    else if (!full && !this.#closing) dueAt = oldestAt + rules.flushIntervalMs
    if (dueAt <= now) {
      this.#cancelTimer()
      void this.#sendNext()
      return
    }
    if (this.#timer !== undefined && this.#timerAt <= dueAt) return
    this.#cancelTimer()
    this.#timerAt = dueAt
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined
      this.#timerAt = Number.POSITIVE_INFINITY
      this.#kick()
    }, dueAt - now)
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
  }

  async #sendNext(): Promise<void> {
    const batch = this.#queue.take(this.#rules.maxBatchRecords, this.#rules.maxBatchBytes)
    this.#sending = true
    const controller = new AbortController()
    this.#inFlight = controller
    let outcome: SendOutcome
    try {
      outcome = await this.#send(batch.items, controller.signal, batch)
    } catch (err) {
      // A fault in sending must neither lose the batch nor stop the loop.
      outcome = { kind: 'retry', reason: 'send-error', message: `sending failed (${(err as Error)?.message})` }
    }
    this.#inFlight = undefined
    this.#sending = false
    // Close gave up waiting and has already counted this batch.
    if (this.#stopped) return
    this.#settle(outcome, batch.items.length)
    this.#backlog?.refill()
    this.#reporter.changed()
    // The next request first, then more input: reading overlaps the round trip.
    this.#kick()
    this.#maybeResume()
  }

  #settle(outcome: SendOutcome, n: number): void {
    const queue = this.#queue
    if (outcome.kind === 'delivered') {
      queue.delivered()
      this.#left(n)
      return
    }
    this.#lastProblem = outcome.message
    if (outcome.kind === 'drop') {
      queue.dropTaken(outcome.reason)
      this.#left(n)
      this.#diagnostics.report(
        outcome.reason,
        `${this.#target}: ${outcome.message}; dropped ${n} records (not retried)`,
      )
      return
    }
    const maxRetries = this.#rules.maxRetries
    if (maxRetries !== undefined && this.#attempt >= maxRetries) {
      queue.dropTaken(Reasons.RETRIES_EXHAUSTED)
      this.#left(n)
      this.#diagnostics.report(
        Reasons.RETRIES_EXHAUSTED,
        `${this.#target}: ${outcome.message}; dropped ${n} records after ${maxRetries} retries (maxRetries)`,
      )
      return
    }
    // Back to the head, unlocked: it goes again first (order kept), and overflow may drop it.
    queue.untake()
    this.counters.retried += n
    const policy = { baseDelayMs: this.#rules.retryBaseDelayMs, maxDelayMs: this.#rules.retryMaxDelayMs }
    const delay = retryDelayMs(this.#attempt, policy, outcome.retryAfterMs, this.#random)
    this.#attempt++
    this.#waitUntil = this.#clock.now() + delay
    this.#diagnostics.report(
      'retry',
      `${this.#target}: ${outcome.message}; retry ${this.#attempt} in ${delay} ms (${queue.length} records waiting)`,
    )
  }

  /** The taken batch of `n` left the queue (delivered, or dropped and counted): on to the next. */
  #left(n: number): void {
    this.#backlog?.release(n)
    this.#attempt = 0
  }

  /**
   * Stops at once, counting nothing: what is held belongs to the backlog, handed to another
   * process (the exit handoff of a spool); anything sent from here would arrive twice.
   */
  abandon(): void {
    this.#stopped = true
    this.#cancelTimer()
    this.#inFlight?.abort(new Error('handed over'))
    this.#queue.forgetAll()
  }

  /**
   * Sends what is held (retrying as usual) until done or `closeTimeoutMs`; then aborts what is
   * in flight, counts what is left as dropped 'close-timeout' and says so on stderr.
   * Idempotent; always resolves by the deadline.
   */
  readonly close = once(async (): Promise<DeliveryStats> => {
    // Abandoned: nothing left to deliver here.
    if (this.#stopped) return this.counters.snapshot()
    this.#closing = true
    this.#maybeResume()
    // Timers are unref'd; while closing the process (or worker) must stay up to deliver.
    const keepAlive = setInterval(() => {}, 1000)
    const drained = new Promise<void>((resolve) => {
      this.#drained = resolve
    })
    this.#kick()
    const settled = await settleWithin(drained, this.#rules.closeTimeoutMs)
    clearInterval(keepAlive)
    this.#stopped = true
    this.#cancelTimer()
    this.#inFlight?.abort(new Error('closed'))
    const backlog = this.#backlog
    // With a backlog (the spool) what is left stays there for the next start: not dropped.
    const undelivered = backlog ? this.#queue.forgetAll() + backlog.waiting : this.#queue.dropAll(Reasons.CLOSE_TIMEOUT)
    this.#reporter.publishNow()
    const stats = this.counters.snapshot()
    if (!settled.done) {
      const fate = backlog ? `; kept in ${backlog.where} for the next start` : ''
      this.#diagnostics.always(
        `close: ${undelivered} records not delivered to ${this.#target} within closeTimeoutMs (${this.#rules.closeTimeoutMs} ms)${fate}; last problem: ${this.#lastProblem ?? 'the request did not finish'}`,
      )
    }
    if (this.counters.droppedTotal > 0) {
      const reasons = Object.entries(stats.dropped)
        .map(([reason, count]) => `${reason}: ${count}`)
        .join(', ')
      this.#diagnostics.always(
        `closed: ${stats.received} records received, ${stats.delivered} delivered, ${this.counters.droppedTotal} not delivered (${reasons})`,
      )
    }
    return stats
  })
}
