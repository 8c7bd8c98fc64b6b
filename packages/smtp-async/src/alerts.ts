import { hostname } from 'node:os'
import {
  after,
  type Clock,
  closedSummary,
  DeliveryCounters,
  type Diagnostics,
  DROP_REASONS,
  decideRetry,
  type FlushOutcome,
  FlushWaiters,
  lineLevel,
  type RetryRules,
  type StatsEmitter,
  StatsReporter,
  settleWithin,
} from '@pino-advanced/core'
import { type Digest, StormControl } from './digest.js'
import { formatMail, type MailContent, recordMessage } from './format.js'
import type { Mailer } from './mailer.js'
import type { ResolvedSmtpOptions } from './options.js'

export interface AlertDeps {
  readonly mailer: Mailer
  readonly clock: Clock
  readonly diagnostics: Diagnostics
  readonly stats: StatsEmitter
  readonly random?: () => number
  readonly statsIntervalMs?: number
}

/** A mail ready to go, and how many records it accounts for. */
export interface OutgoingMail {
  readonly mail: MailContent
  readonly count: number
}

/** Drop reasons of this transport, beside the SMTP reply (`smtp-550`) or failure kind. */
export const Reasons = {
  /** Still unsent when closeTimeoutMs ran out. */
  CLOSE_TIMEOUT: DROP_REASONS.closeTimeout.name,
  /** Arrived after close. */
  CLOSED: DROP_REASONS.closed.name,
} as const

/**
 * Records at or above `level` become mails: storm control folds them into digests, one mail is
 * in flight at a time, 4xx replies and connection errors are retried with backoff. Every record
 * is counted: received = delivered + dropped + buffered.
 */
export class AlertEngine {
  readonly counters: DeliveryCounters
  readonly #reporter: StatsReporter
  readonly #storm: StormControl
  readonly #queue: OutgoingMail[] = []
  readonly #retryRules: RetryRules
  readonly #host = hostname()
  #sending: Promise<void> | undefined
  /** Mails queued and mails done with (sent or dropped), ever: a flush waits for its mark. */
  #queued = 0
  #done = 0
  readonly #flushes: FlushWaiters
  #closing = false
  /** Past the close deadline: nothing more is counted as delivered. */
  #gaveUp = false
  #wake: (() => void) | undefined

  constructor(
    private readonly options: ResolvedSmtpOptions,
    private readonly deps: AlertDeps,
  ) {
    this.counters = new DeliveryCounters(options.statsName)
    this.#reporter = new StatsReporter(deps.stats, this.counters, deps.statsIntervalMs)
    this.#retryRules = {
      baseDelayMs: options.retryBaseDelayMs,
      maxDelayMs: options.retryMaxDelayMs,
      maxRetries: options.maxRetries,
    }
    this.#storm = new StormControl(options, deps.clock, (digest) => this.#enqueue(digest))
    this.#flushes = new FlushWaiters(deps.clock)
  }

  /** One pino line. Below `level` (or with no readable level) it is not for this destination. */
  push(line: string): void {
    const level = lineLevel(line)
    if (level === undefined || level < this.options.level) return
    this.counters.received++
    if (this.#closing) this.counters.drop(Reasons.CLOSED)
    else this.#storm.add(line, recordMessage(line))
    this.#reporter.changed()
  }

  #enqueue(digest: Digest): void {
    this.#push({ mail: formatMail(digest, this.options.subject, this.#host), count: digest.count })
  }

  #push(outgoing: OutgoingMail): void {
    this.#queue.push(outgoing)
    this.#queued++
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = undefined
    })
  }

  async #drain(): Promise<void> {
    for (let outgoing = this.#queue[0]; outgoing !== undefined; outgoing = this.#queue[0]) {
      // Past the close deadline every record is counted and the mailer closed: a stuck send
      // that returns late must not start the mails behind it.
      if (this.#gaveUp) return
      await this.#deliver(outgoing)
      this.#queue.shift()
      this.#done++
      this.#flushes.review(this.#done)
    }
    this.deps.mailer.release()
  }

  /**
   * The exit handoff (see core's Unsent): the mails not yet accepted by the server, the one in
   * flight included (it may arrive twice), then the pending digest. Called once the event
   * loop is gone; the engine is of no further use.
   */
  unsentMails(): OutgoingMail[] {
    const pending = this.#storm.takePending()
    const mails = [...this.#queue]
    if (pending) mails.push({ mail: formatMail(pending, this.options.subject, this.#host), count: pending.count })
    return mails
  }

  /** Sends mails another process prepared (its exit handoff), counted as received. */
  sendPrepared(mails: readonly OutgoingMail[]): void {
    for (const outgoing of mails) {
      this.counters.received += outgoing.count
      this.#push(outgoing)
    }
    this.#reporter.changed()
  }

  async #deliver({ mail, count }: OutgoingMail): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.deps.mailer.send(mail)
      if (this.#gaveUp) return
      if (outcome.ok) {
        this.counters.delivered += count
        break
      }
      const kind = outcome.retryable ? 'retry' : 'drop'
      const decision = decideRetry({ kind, reason: outcome.reason }, attempt, this.#retryRules, this.deps.random)
      // While closing, a failed attempt is the last one (close made it at once).
      if (decision.kind !== 'retry' || this.#closing) {
        this.counters.drop(outcome.reason, count)
        const tries = attempt + 1
        this.deps.diagnostics.report(
          outcome.reason,
          `a mail of ${count} record(s) was not sent (${outcome.reason}, ${tries} attempt${tries > 1 ? 's' : ''}): ${outcome.message}`,
        )
        break
      }
      this.counters.retried += count
      this.#reporter.changed()
      await this.#sleep(decision.delayMs)
    }
    this.#reporter.changed()
  }

  /** Waits before a retry; close cuts the wait short. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = after(this.deps.clock, ms, done)
      function done() {
        cancel()
        resolve()
      }
      this.#wake = done
    })
  }

  /**
   * Sends the pending digest now (whatever the interval and the hourly cap) and waits until
   * every mail queued before the call was accepted by the server or dropped (counted), at most
   * `timeoutMs` (default closeTimeoutMs); retries keep their backoff. Never rejects.
   */
  async flush(timeoutMs = this.options.closeTimeoutMs): Promise<FlushOutcome> {
    if (!this.#closing) {
      const pending = this.#storm.takePending()
      if (pending) this.#enqueue(pending)
    }
    const mark = this.#queued
    // Once close gave up, every record is counted (close-timeout): a mail still in the
    // mailer's hands is no reason to wait (nor to hold the process up until timeoutMs).
    const complete = this.#gaveUp || this.#done >= mark || (await this.#flushes.add(mark, timeoutMs))
    this.#reporter.publishNow()
    return { complete, stats: this.counters.snapshot() }
  }

  /**
   * Sends the pending digest now (whatever the interval and the hourly cap) and waits for the
   * mails in hand, at most closeTimeoutMs; what is still unsent then is dropped, counted and
   * reported. Idempotent through the transport's close.
   */
  async close(): Promise<void> {
    this.#closing = true
    const pending = this.#storm.takePending()
    if (pending) this.#enqueue(pending)
    // A retry waiting for its backoff goes now: close makes one last attempt.
    this.#wake?.()
    // The socket is unref'd on the application's thread (mailer.ts): while closing, the process
    // must stay up to send.
    const keepAlive = setInterval(() => {}, 1000)
    const settled = await settleWithin(this.#sending ?? Promise.resolve(), this.options.closeTimeoutMs)
    clearInterval(keepAlive)
    if (!settled.done) {
      this.#gaveUp = true
      const unsent = this.counters.buffered
      this.counters.drop(Reasons.CLOSE_TIMEOUT, unsent)
      this.deps.diagnostics.always(
        `closing: ${unsent} record(s) not mailed within closeTimeoutMs (${this.options.closeTimeoutMs} ms)`,
      )
    }
    // What was queued is sent or counted dropped now.
    this.#flushes.stopAll(this.#queued)
    this.deps.mailer.close()
    this.#reporter.publishNow()
    this.#reportClosed()
  }

  /** The close summary on stderr, never rate-limited, when anything was not mailed. */
  #reportClosed(): void {
    const summary = closedSummary(this.counters.snapshot(), 'mailed')
    if (summary !== undefined) this.deps.diagnostics.always(summary)
  }
}
