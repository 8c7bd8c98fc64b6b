import { EventEmitter } from 'node:events'
import {
  DeliveryCounters,
  type Diagnostics,
  DROP_REASONS,
  type FlushArgument,
  type FlushOutcome,
  flushArgument,
  STATS_EVENT,
  StatsReporter,
  settleWithin,
  type Unsent,
} from '@pino-advanced/core'
import { countLines } from './file-destination.js'

/** Drop reason of the records of a handler that could not start. */
export const START_FAILED = DROP_REASONS.startFailed.name

/** What a transport factory resolves to when called on the main thread. */
export interface LineStream extends EventEmitter {
  write(chunk: string): boolean
  end(): void
  /** Delivers what it was given so far (see the transports' flush). */
  flush(options: { timeoutMs?: number }): Promise<FlushOutcome>
  /** What it has not delivered yet, for the exit handoff (see core's Unsent). */
  takeUnsent(): Unsent
}

/**
 * A transport built on the main thread (a handler with `async: false`). Its factory is async,
 * but getLogger is not: lines written before the stream exists are held, in order, and handed
 * over as soon as it does. Its stats events are re-emitted here. A handler that cannot start
 * counts every record given to it as dropped (`start-failed`), under `name`.
 */
export class DeferredStream extends EventEmitter {
  #stream: LineStream | undefined
  #pending: string[] = []
  /** Set once the factory failed: the counts of what was given to it since. */
  #failed: StatsReporter | undefined
  readonly #ready: Promise<LineStream | undefined>

  constructor(factory: Promise<LineStream>, diagnostics: Diagnostics, name: string) {
    super()
    this.#ready = factory.then(
      (stream) => {
        stream.on(STATS_EVENT, (stats) => this.emit(STATS_EVENT, stats))
        for (const line of this.#pending) stream.write(line)
        this.#pending = []
        this.#stream = stream
        return stream
      },
      (err: Error) => {
        const lost = this.#pending.reduce((n, chunk) => n + countLines(chunk), 0)
        diagnostics.report(
          'start',
          `a handler could not start: ${err.message}; its records are dropped (${lost} so far)`,
        )
        this.#pending = []
        this.#failed = new StatsReporter(this, new DeliveryCounters(name))
        this.#lose(lost)
        return undefined
      },
    )
  }

  write(chunk: string): boolean {
    if (this.#stream) return this.#stream.write(chunk)
    if (this.#failed) this.#lose(countLines(chunk))
    else this.#pending.push(chunk)
    return true
  }

  #lose(records: number): void {
    const failed = this.#failed as StatsReporter
    failed.counters.received += records
    failed.counters.drop(START_FAILED, records)
    failed.publishNow()
  }

  /**
   * The exit handoff: what the transport has not delivered, or, when it never came to exist,
   * the lines held for it.
   */
  takeUnsent(): Unsent {
    if (this.#stream) return this.#stream.takeUnsent()
    const lines = this.#pending.flatMap((chunk) => chunk.split('\n').filter((line) => line !== ''))
    this.#pending = []
    return { lines }
  }

  /**
   * The transport's flush, once it exists (its factory settles at once: it connects lazily);
   * one that could not start has nothing left to deliver. A callback (a memory buffer's sink
   * flush) is called when done. Never rejects.
   */
  async flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    const { timeoutMs, callback } = flushArgument(argument)
    const stream = await this.#ready
    const outcome = stream
      ? await stream.flush(timeoutMs === undefined ? {} : { timeoutMs })
      : { complete: true, stats: (this.#failed as StatsReporter).counters.snapshot() }
    callback?.()
    return outcome
  }

  /** Ends the transport and waits for its close (it delivers within its own deadline). */
  async close(deadlineMs: number): Promise<void> {
    const stream = await this.#ready
    if (!stream) return
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
    stream.end()
    await settleWithin(closed, deadlineMs)
  }
}
