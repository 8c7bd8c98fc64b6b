import { isMainThread, parentPort } from 'node:worker_threads'
import { MAX_TIMER_MS } from './limits.js'
import { type RawOptions, readNumber } from './options.js'
import type { DeliveryStats, StatsEmitter } from './stats.js'

// Node's timers take at most 2^31 - 1 ms.
const MAX_FLUSH_TIMEOUT_MS = MAX_TIMER_MS

/** What a flush came to for one destination. */
export interface FlushOutcome {
  /**
   * Every record it had received before the flush was delivered, or dropped and counted, by
   * the deadline (false: some were still on their way; they stay buffered, not lost).
   */
  readonly complete: boolean
  /** Its counts once the flush ended. */
  readonly stats: DeliveryStats
}

export interface FlushOptions {
  /** The longest the flush waits (default: the destination's closeTimeoutMs). */
  readonly timeoutMs?: number
}

/** pino's `logger.flush(cb)` passes a callback where a transport's own flush takes options. */
export type FlushArgument = FlushOptions | ((err?: Error | null) => void)

/** The event that carries a destination's FlushReply from a pino worker to the main thread. */
export const FLUSHED_EVENT = 'pino-advanced:flushed'

export interface FlushReply extends FlushOutcome {
  /** The request's id (see flushMarker). */
  readonly id: number
}

/** A flush asked for in a stream's input (see flushMarker). */
export interface FlushRequest {
  readonly id: number
  readonly timeoutMs: number | undefined
  /** Asked by the stream's own flush() (answered there), or by the main thread (answered by an event). */
  readonly local: boolean
}

// Above any level pino or a user defines, so that every target's level filter (pino's
// multistream) passes the marker on, to every destination of a worker.
const MARKER_LEVEL = 999_999_999
const MARKER_PREFIX = `{"level":${MARKER_LEVEL},"pinoAdvancedFlush":`
const PREFIX_BYTES = Buffer.from(MARKER_PREFIX)
const NINE = 0x39
// The byte after `{"level":` in every pino record; a marker has a 9 there.
const LEVEL_AT = '{"level":'.length

/**
 * A flush travels in the log stream itself, as one line: every record written before it has
 * passed each stage of a worker (pino's split2, its multistream, a pipeline's memory buffer)
 * by the time it arrives, whatever the hops in between, and a memory buffer passes it on after
 * what it releases. Each destination that reads it delivers what it holds and answers.
 */
export function flushMarker(id: number, timeoutMs?: number, local = false): string {
  return `${MARKER_PREFIX}${JSON.stringify({ id, timeoutMs, local })}}\n`
}

/** The flush request in bytes [start, end) of `chunk` (a line, newline optional), if it is one. */
export function readFlushMarker(chunk: Uint8Array, start: number, end: number): FlushRequest | undefined {
  // The hot path: one byte tells an ordinary record.
  if (chunk[start + LEVEL_AT] !== NINE || end - start <= PREFIX_BYTES.length) return undefined
  for (let i = 0; i < PREFIX_BYTES.length; i++) if (chunk[start + i] !== PREFIX_BYTES[i]) return undefined
  try {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start).toString('utf8')
    const body = (JSON.parse(text) as { pinoAdvancedFlush: Partial<FlushRequest> }).pinoAdvancedFlush
    if (typeof body?.id !== 'number') return undefined
    return {
      id: body.id,
      timeoutMs: typeof body.timeoutMs === 'number' ? body.timeoutMs : undefined,
      local: body.local === true,
    }
  } catch {
    return undefined
  }
}

/**
 * A stream's side of flushing: its own `flush()` writes a marker into its input and waits for
 * it to come out of its line splitter (so the flush covers everything written before it,
 * whatever the stream still queued); a marker from the main thread is answered with a
 * FLUSHED_EVENT (posted from a worker, emitted on the main thread).
 */
export class FlushRequests {
  readonly #stream: StatsEmitter
  readonly #waiting = new Map<number, (outcome: FlushOutcome) => void>()
  #nextId = 0

  constructor(stream: StatsEmitter) {
    this.#stream = stream
  }

  /**
   * The stream's flush(argument): a marker written into `stream`'s own input, answered once it
   * comes out of the splitter; once the stream has ended, `ended(timeoutMs)` instead. A
   * callback (pino's `logger.flush(cb)`) is called when done.
   */
  flush(
    stream: { readonly writable: boolean; write(line: string): unknown },
    argument: FlushArgument,
    ended: (timeoutMs: number | undefined) => Promise<FlushOutcome>,
  ): Promise<FlushOutcome> {
    const { timeoutMs, callback } = flushArgument(argument)
    const done = stream.writable ? this.#request(stream, timeoutMs) : ended(timeoutMs)
    if (callback) void done.then(() => callback())
    return done
  }

  #request(stream: { write(line: string): unknown }, timeoutMs: number | undefined): Promise<FlushOutcome> {
    const id = ++this.#nextId
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve)
      stream.write(flushMarker(id, timeoutMs, true))
    })
  }

  /** Answers `request` with what the flush came to. A local id this stream did not ask for is ignored. */
  answer(request: FlushRequest, outcome: FlushOutcome): void {
    if (!request.local) {
      publishFlushed(this.#stream, { id: request.id, ...outcome })
      return
    }
    const resolve = this.#waiting.get(request.id)
    this.#waiting.delete(request.id)
    resolve?.(outcome)
  }

  /** The stream ended or was destroyed: every flush still waiting resolves with `outcome()`. */
  settleAll(outcome: () => FlushOutcome): void {
    if (this.#waiting.size === 0) return
    const result = outcome()
    for (const resolve of this.#waiting.values()) resolve(result)
    this.#waiting.clear()
  }
}

/** Sends a FlushReply to the main thread (from a worker), or emits it (on the main thread). */
export function publishFlushed(stream: StatsEmitter, reply: FlushReply): void {
  // Runs only inside a worker, where tap's coverage cannot see; the worker tests check it there.
  /* c8 ignore next 2 */
  if (!isMainThread && parentPort) {
    parentPort.postMessage({ code: 'EVENT', name: FLUSHED_EVENT, args: [reply] })
  } else {
    stream.emit(FLUSHED_EVENT, reply)
  }
}

/** The options and callback of a flush(argument) call, told apart; a bad timeoutMs is a ConfigError. */
export function flushArgument(argument: FlushArgument | undefined): {
  readonly timeoutMs: number | undefined
  readonly callback: ((err?: Error | null) => void) | undefined
} {
  if (typeof argument === 'function') return { timeoutMs: undefined, callback: argument }
  const timeoutMs = readNumber('', (argument ?? {}) as RawOptions, 'timeoutMs', undefined, {
    max: MAX_FLUSH_TIMEOUT_MS,
  })
  return { timeoutMs, callback: undefined }
}
