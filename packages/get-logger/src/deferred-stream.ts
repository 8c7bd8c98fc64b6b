import { EventEmitter } from 'node:events'
import { type Diagnostics, STATS_EVENT, settleWithin, type Unsent } from '@pino-advanced/core'

/** What a transport factory resolves to when called on the main thread. */
export interface LineStream extends EventEmitter {
  write(chunk: string): boolean
  end(): void
  /** What it has not delivered yet, for the exit handoff (see core's Unsent). */
  takeUnsent(): Unsent
}

/**
 * A transport built on the main thread (a handler with `async: false`). Its factory is async,
 * but getLogger is not: lines written before the stream exists are held, in order, and handed
 * over as soon as it does. Its stats events are re-emitted here.
 */
export class DeferredStream extends EventEmitter {
  #stream: LineStream | undefined
  #pending: string[] = []
  readonly #ready: Promise<LineStream | undefined>

  constructor(factory: Promise<LineStream>, diagnostics: Diagnostics) {
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
        diagnostics.report(
          'start',
          `a handler could not start: ${err.message}; ${this.#pending.length} records dropped`,
        )
        this.#pending = []
        return undefined
      },
    )
  }

  write(chunk: string): boolean {
    if (this.#stream) return this.#stream.write(chunk)
    this.#pending.push(chunk)
    return true
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

  /** Ends the transport and waits for its close (it delivers within its own deadline). */
  async close(deadlineMs: number): Promise<void> {
    const stream = await this.#ready
    if (!stream) return
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
    stream.end()
    await settleWithin(closed, deadlineMs)
  }
}
