import { Writable } from 'node:stream'
import {
  type Clock,
  type FlushArgument,
  type FlushOutcome,
  FlushRequests,
  LineSplitter,
  type OnLine,
  once,
  pinoLevels,
  readFlushMarker,
  SYSTEM_CLOCK,
  startTransport,
  type Unsent,
  type UnsentSource,
  withoutPinoKeys,
} from '@pino-advanced/core'
import { AlertEngine, type OutgoingMail } from './alerts.js'
import { smtpDiagnostics } from './diagnostics.js'
import { createMailer, type Mailer } from './mailer.js'
import type { SmtpAsyncOptions } from './options.js'
import { type ResolvedSmtpOptions, resolveOptions } from './options.js'

/** Test seams; not part of the documented options (they are not plain data). */
export interface SmtpAsyncDeps {
  readonly clock?: Clock
  readonly random?: () => number
  readonly mailer?: Mailer
  readonly writeDiagnostic?: (line: string) => void
  readonly statsIntervalMs?: number
}

/** What an SMTP stream had not sent at exit: prepared mails, and lines not yet read. */
export interface SmtpUnsent extends Unsent {
  readonly mails?: readonly OutgoingMail[]
}

/**
 * The transport stream: pino's lines in, records at or above `level` mailed, storms folded into
 * digests. A plain Writable rather than pino-abstract-transport's build(): build() returns a
 * Duplex, which a `pipeline` counts as finished at 'finish', before its asynchronous close, so
 * pino's worker exited with the last digest unsent whenever a memory buffer stood in front of
 * it. Here 'finish' comes only after the close: the pending digest sent within closeTimeoutMs.
 */
export class SmtpAsyncStream extends Writable implements UnsentSource<SmtpUnsent> {
  readonly engine: AlertEngine
  readonly #splitter = new LineSplitter()
  readonly #onLine: OnLine
  readonly #close: () => Promise<void>
  readonly #flushes = new FlushRequests(this)

  constructor(options: ResolvedSmtpOptions, deps: SmtpAsyncDeps = {}) {
    super({ decodeStrings: true })
    // In a worker, core posts the stats to the main thread; on the main thread this emits them.
    this.engine = new AlertEngine(options, {
      mailer: deps.mailer ?? createMailer(options),
      clock: deps.clock ?? SYSTEM_CLOCK,
      diagnostics: smtpDiagnostics(options, deps.writeDiagnostic),
      stats: this,
      ...(deps.random === undefined ? {} : { random: deps.random }),
      ...(deps.statsIntervalMs === undefined ? {} : { statsIntervalMs: deps.statsIntervalMs }),
    })
    this.#onLine = (chunk, start, end) => {
      const flush = readFlushMarker(chunk, start, end)
      if (flush === undefined) this.engine.push(chunk.toString('utf8', start, end))
      else void this.engine.flush(flush.timeoutMs).then((outcome) => this.#flushes.answer(flush, outcome))
    }
    this.#close = once(async () => {
      await this.engine.close()
      // A flush whose marker was still queued when the stream went: its records are settled now.
      this.#flushes.settleAll(() => ({ complete: true, stats: this.engine.counters.snapshot() }))
    })
  }

  /**
   * Mails the pending digest now and waits until every mail of records written before the call
   * was accepted by the server, or dropped (counted); at most `timeoutMs` (default
   * closeTimeoutMs), then `complete: false`. Never rejects. pino's `logger.flush(cb)` passes a
   * callback instead of options; in a worker, thread-stream calls this for a single target.
   */
  flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    return this.#flushes.flush(this, argument, (timeoutMs) => this.engine.flush(timeoutMs))
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#splitter.feed(chunk, this.#onLine)
    cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#splitter.end(this.#onLine)
    this.#close().then(() => cb())
  }

  /** The exit handoff (see core's Unsent): mails not yet accepted, the pending digest, lines not yet read. */
  takeUnsent(): SmtpUnsent {
    const lines: string[] = []
    const collect: OnLine = (chunk, start, end) => lines.push(chunk.toString('utf8', start, end))
    this.#splitter.end(collect)
    return { lines, mails: this.engine.unsentMails() }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Destroyed without an end (an error in the pipeline): the pending digest still goes.
    this.#close().then(() => cb(err))
  }
}

/** Builds the transport stream; pino calls it in its worker, getLogger on the main thread too. */
export async function createSmtpAsync(raw: SmtpAsyncOptions, deps: SmtpAsyncDeps = {}): Promise<SmtpAsyncStream> {
  // A single `target` gets pino's own keys mixed into its options.
  return new SmtpAsyncStream(resolveOptions(withoutPinoKeys(raw), '', pinoLevels(raw)), deps)
}

/**
 * The exit handoff's other end, in a short-lived child process: sends what a dying process's
 * stream had not (its prepared mails first, then its lines through storm control as usual),
 * then closes within closeTimeoutMs, reporting what it could not send.
 */
export async function deliverUnsent(raw: SmtpAsyncOptions, unsent: SmtpUnsent): Promise<void> {
  const stream = await createSmtpAsync(raw)
  const closed = new Promise((resolve) => stream.once('close', resolve))
  stream.engine.sendPrepared(unsent.mails ?? [])
  for (const line of unsent.lines) stream.write(`${line}\n`)
  stream.end()
  await closed
}

/**
 * The transport pino loads:
 * `pino.transport({ target: '@pino-advanced/smtp-async', options: { mailhost, fromaddr, toaddrs } })`.
 */
export default function smtpAsyncTransport(raw: SmtpAsyncOptions): Promise<SmtpAsyncStream> {
  return startTransport('@pino-advanced/smtp-async', () => createSmtpAsync(raw))
}
