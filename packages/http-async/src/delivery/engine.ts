import {
  BatchQueue,
  DeliveryCounters,
  type DeliveryStats,
  type Diagnostics,
  type FlushOutcome,
  FlushWaiters,
  itemLines,
  once,
  type QueueItem,
  StatsReporter,
} from '@pino-advanced/core'
import { Reasons } from '../outcome.js'
import { type Clock, SYSTEM_CLOCK } from './clock.js'
import { reportClose } from './close-report.js'
import { Dispatcher } from './dispatcher.js'
import { Lifecycle } from './lifecycle.js'
import type { DeliveryDeps, DeliveryRules, Send } from './rules.js'
import { Settler } from './settle.js'
import { SourcePause } from './source-pause.js'
import { SpoolPort } from './spool-port.js'

export type { DeliveryDeps, DeliveryRules, Send }

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
  readonly #reporter: StatsReporter
  readonly #diagnostics: Diagnostics
  readonly #target: string
  readonly #clock: Clock
  readonly #life: Lifecycle
  readonly #pause: SourcePause
  readonly #flushes: FlushWaiters
  readonly #dispatcher: Dispatcher<T>
  readonly #settler: Settler<T>
  #inputEnded = false
  /** Records not delivered when the deadline stopped delivery (the close report). */
  #undelivered = 0

  constructor(rules: DeliveryRules, deps: DeliveryDeps<T>) {
    this.#rules = rules
    this.#diagnostics = deps.diagnostics
    this.#target = deps.target
    this.#clock = deps.clock ?? SYSTEM_CLOCK
    this.#pause = new SourcePause(rules.maxBufferBytes)
    this.#flushes = new FlushWaiters(this.#clock)
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
    this.#dispatcher = new Dispatcher<T>({
      queue: this.#queue,
      rules,
      clock: this.#clock,
      send: deps.send,
      state: () => this.#life.state,
      lingers: () => this.#life.state === 'open' && !this.#flushes.pending,
      drained: (life) => {
        if (life !== 'closing' || !this.#inputEnded || this.#queue.length > 0) return false
        this.#stop('drained')
        return true
      },
      answered: (slot, outcome, now) => {
        this.#settler.settle(slot, outcome, now)
        this.spool.backlog?.refill()
        this.#flushed()
        this.#reporter.changed()
        this.#dispatcher.pump()
        this.#maybeResume()
      },
    })
    this.#settler = new Settler<T>({
      queue: this.#queue,
      counters: this.counters,
      retryRules: {
        baseDelayMs: rules.retryBaseDelayMs,
        maxDelayMs: rules.retryMaxDelayMs,
        maxRetries: rules.maxRetries,
      },
      random: deps.random ?? Math.random,
      diagnostics: deps.diagnostics,
      target: deps.target,
      park: this.#dispatcher.parked,
      released: (n) => this.#released(n),
    })
    this.spool = new SpoolPort<T>({
      queue: this.#queue,
      counters: this.counters,
      reporter: this.#reporter,
      maxBufferBytes: rules.maxBufferBytes,
      report: (key, message) => this.report(key, message),
      held: () => this.#dispatcher.kick(),
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
    return this.#dispatcher.limit
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
      this.#dispatcher.kick()
      this.#pause.held(this.#queue.bytes, life === 'open' && this.#dispatcher.parked.size === 0)
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
    this.#dispatcher.pump()
    return done
  }

  /** `n` records left the front of the queue's order: the spool may let go of them. */
  #released(n: number): void {
    if (n > 0) this.spool.backlog?.release(n)
  }

  #maybeResume(): void {
    this.#pause.review(this.#queue.bytes, this.#dispatcher.parked.size > 0 || this.#life.state !== 'open')
  }

  /**
   * The close deadline starts now (idempotent): partial batches go at once, a retry waiting for
   * its backoff goes at once, the source is not asked to pause any more. Delivery goes on until
   * the input has ended (`close`) and everything is sent, or until closeTimeoutMs from here.
   */
  beginClose(): void {
    if (!this.#life.beginClosing()) return
    const now = this.#clock.now()
    this.#dispatcher.parked.retryAllAt(now)
    this.#maybeResume()
    this.#dispatcher.pump()
  }

  #stop(reason: 'drained' | 'deadline' | 'abandoned'): void {
    if (!this.#life.stop(reason)) return
    this.#dispatcher.stop()
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
    this.#dispatcher.pump()
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
      lastProblem: this.#settler.lastProblem,
    })
    return stats
  })
}
