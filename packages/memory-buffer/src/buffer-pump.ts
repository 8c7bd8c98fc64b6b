import {
  DeliveryCounters,
  type DeliveryStats,
  type Diagnostics,
  DROP_REASONS,
  type StatsEmitter,
  StatsReporter,
} from '@pino-advanced/core'
import type { LineStore } from './line-store.js'
import { MemoryBuffer, type Release } from './memory-buffer.js'
import type { ResolvedMemoryBufferOptions } from './options.js'

/**
 * Where released lines go: one call per release, the lines joined (byte for byte). Throwing
 * means the lines were not taken; they are counted dropped with reason `output-error`.
 */
export type Output<Out> = (chunk: Out) => void

export const OUTPUT_ERROR = DROP_REASONS.outputError.name

/**
 * Drives a MemoryBuffer: sends releases to the output, runs the periodic release, keeps the
 * counts and publishes them. Both the worker transport and the main-thread stream are thin
 * shells around it: they put each line in `store`, then call `added` with its level.
 */
export class BufferPump<Out> {
  readonly counters: DeliveryCounters
  readonly #buffer: MemoryBuffer<Out>
  readonly #reporter: StatsReporter
  readonly #output: Output<Out>
  readonly #diagnostics: Diagnostics
  #timer: NodeJS.Timeout | undefined
  #closed = false

  constructor(
    options: ResolvedMemoryBufferOptions,
    store: LineStore<Out>,
    output: Output<Out>,
    statsTarget: StatsEmitter,
    diagnostics: Diagnostics,
    statsIntervalMs = 1000,
  ) {
    this.counters = new DeliveryCounters(options.statsName)
    this.#buffer = new MemoryBuffer(options, this.counters, store)
    this.#reporter = new StatsReporter(statsTarget, this.counters, statsIntervalMs)
    this.#output = output
    this.#diagnostics = diagnostics
    if (options.flushIntervalMs > 0) {
      this.#timer = setInterval(() => this.release(), options.flushIntervalMs)
      // The buffer must never keep the process alive: close releases what is left.
      this.#timer.unref()
    }
  }

  /** Records held now. */
  get held(): number {
    return this.#buffer.size
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The newest line, of pino level `level`, is in the store. After close, lines pass straight through. */
  added(level: number | undefined): void {
    if (this.#closed) {
      // Late lines (an exit handler logging after close) are not held: nothing would release them.
      this.counters.received++
      this.#send(this.#buffer.drain() as Release<Out>)
      this.#reporter.publishNow()
      return
    }
    const released = this.#buffer.added(level)
    if (released !== undefined) this.#send(released)
    this.#reporter.changed()
  }

  /** Releases whatever is held now (the periodic release, flush, close). */
  release(): void {
    const released = this.#buffer.drain()
    if (released === undefined) return
    this.#send(released)
    this.#reporter.changed()
  }

  /** Releases what is held and publishes the counts now (a flush); returns them. */
  flush(): DeliveryStats {
    this.release()
    this.#reporter.publishNow()
    return this.counters.snapshot()
  }

  /** Releases what is held, stops the timer and publishes the final counts. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.release()
    this.#closed = true
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#reporter.publishNow()
  }

  /**
   * Closes without releasing, when there is nowhere left to release to (the stream was
   * destroyed): what is held is counted dropped with `reason` and reported.
   */
  abandon(reason: string): void {
    if (this.#closed) return
    const lost = this.#buffer.drain()?.records ?? 0
    if (lost > 0) {
      this.counters.drop(reason, lost)
      this.#diagnostics.always(`${reason}: ${lost} held record(s) could not be released and are lost`)
    }
    this.close()
  }

  stats(): DeliveryStats {
    return this.counters.snapshot()
  }

  #send({ chunk, records }: Release<Out>): void {
    try {
      this.#output(chunk)
      this.counters.delivered += records
    } catch (err) {
      this.counters.drop(OUTPUT_ERROR, records)
      this.#diagnostics.report(
        OUTPUT_ERROR,
        `could not pass on ${records} record(s): ${(err as Error)?.message ?? String(err)} (dropped; ${this.counters.droppedTotal} dropped so far)`,
      )
    }
  }
}
