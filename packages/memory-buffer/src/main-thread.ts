import { EventEmitter } from 'node:events'
import {
  ConfigError,
  type DeliveryStats,
  type Diagnostics,
  describeValue,
  type FlushArgument,
  type FlushOutcome,
  flushArgument,
  lineLevel,
} from '@pino-advanced/core'
import { BufferPump } from './buffer-pump.js'
import { memoryBufferDiagnostics } from './diagnostics.js'
import { TextLines } from './line-store.js'
import type { MemoryBufferOptions } from './options.js'
import { resolveOptions } from './options.js'

/** Where a main-thread memory buffer sends released lines: a sonic-boom, say. */
export interface LineSink {
  write(chunk: string): unknown
  flushSync?(): void
  /** sonic-boom's (a callback), or a pino-advanced transport's (a callback, and a promise of its outcome). */
  flush?(cb: (err?: Error | null) => void): unknown
}

/** Test seams; not part of the documented API. */
export interface MemoryBufferDeps {
  readonly diagnostics?: Diagnostics
  readonly statsIntervalMs?: number
}

/**
 * A memory buffer on the main thread, no worker: pino or pino.multistream writes lines into
 * it, it releases them into `sink` by the same rules as the transport. It emits core's
 * STATS_EVENT with its counts (throttled while they change, and on end).
 */
export class MemoryBufferStream extends EventEmitter {
  /** pino(stream) with a single argument recognises a stream by this flag (else: options). */
  readonly writable = true
  readonly #pump: BufferPump<string>
  readonly #lines: TextLines
  readonly #sink: LineSink
  readonly #diagnostics: Diagnostics

  constructor(options: unknown, sink: LineSink, deps: MemoryBufferDeps = {}) {
    super()
    const resolved = resolveOptions(options)
    if (resolved.destination !== undefined) {
      throw ConfigError.invalid(
        'destination',
        `received ${describeValue(resolved.destination)}; createMemoryBuffer writes to its sink argument, leave destination out`,
      )
    }
    this.#sink = sink
    this.#diagnostics = deps.diagnostics ?? memoryBufferDiagnostics()
    this.#lines = new TextLines(resolved.maxBytes !== undefined)
    this.#pump = new BufferPump(
      resolved,
      this.#lines,
      (chunk) => sink.write(chunk),
      this,
      this.#diagnostics,
      deps.statsIntervalMs,
    )
  }

  /** One or more whole lines (pino writes exactly one, newline included). Never throws. */
  write(chunk: string): boolean {
    if (chunk.length === 0) return true
    const last = chunk.length - 1
    // The usual case, one line: no split, no copy.
    if (chunk.indexOf('\n') >= last) {
      this.#line(chunk)
      return true
    }
    let start = 0
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.#line(chunk.slice(start, nl + 1))
      start = nl + 1
    }
    // A trailing piece with no newline is passed on as it came.
    if (start <= last) this.#line(chunk.slice(start))
    return true
  }

  #line(line: string): void {
    this.#lines.push(line)
    this.#pump.added(lineLevel(line))
  }

  /**
   * Synchronously releases everything held into the sink, then flushes the sink. Safe in a
   * process 'exit' handler; a sink that cannot flush yet is reported, never thrown.
   */
  flushSync(): void {
    this.#pump.release()
    try {
      this.#sink.flushSync?.()
    } catch (err) {
      this.#diagnostics.report('flush-sync', `flushSync: the sink could not flush: ${(err as Error)?.message}`)
    }
  }

  /**
   * Releases what is held (as Python's MemoryHandler.flush does), then flushes the sink and
   * waits for it: a pino-advanced transport as sink resolves once it delivered (its outcome's
   * `complete`). Never rejects; pino's `logger.flush(cb)` passes a callback instead of options.
   */
  async flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    const { callback } = flushArgument(argument)
    this.#pump.release()
    let complete = true
    const sink = this.#sink
    if (sink.flush) {
      complete = await new Promise<boolean>((resolve) => {
        // A sink that answers with a promise says more than its callback: the callback is ignored then.
        let promised = false
        const result = sink.flush?.((err) => {
          if (!promised) resolve(!err)
        }) as Promise<FlushOutcome> | undefined
        if (typeof result?.then === 'function') {
          promised = true
          void result.then((outcome) => resolve(outcome.complete))
        }
      })
    }
    const outcome = { complete, stats: this.#pump.flush() }
    callback?.()
    return outcome
  }

  /**
   * Releases what is held, stops the timer and publishes the final counts; idempotent. The
   * sink is not ended: whoever made it owns it. Lines written afterwards pass straight through.
   */
  end(): void {
    this.#pump.close()
  }

  /** Records held now. */
  get held(): number {
    return this.#pump.held
  }

  stats(): DeliveryStats {
    return this.#pump.stats()
  }
}

/** Validates `options` (ConfigError) and returns a main-thread memory buffer writing to `sink`. */
export function createMemoryBuffer(
  options: MemoryBufferOptions,
  sink: LineSink,
  deps?: MemoryBufferDeps,
): MemoryBufferStream {
  return new MemoryBufferStream(options, sink, deps)
}
