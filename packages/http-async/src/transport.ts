import { Writable } from 'node:stream'
import {
  type FlushArgument,
  type FlushOutcome,
  type FlushRequest,
  FlushRequests,
  LineSplitter,
  type OnLine,
  onCloseSignal,
  readFlushMarker,
  startTransport,
  type Unsent,
  type UnsentSource,
  withoutPinoKeys,
} from '@pino-advanced/core'
import { type Clock, SYSTEM_CLOCK } from './delivery/clock.js'
import { DeliveryEngine } from './delivery/engine.js'
import { httpAsyncDiagnostics } from './diagnostics.js'
import { createHttpSender, type HttpSender } from './http-sender.js'
import { type Intake, pieceBytes, pieceEnd, queuedChunks } from './intake.js'
import type { HttpAsyncOptions } from './option-types.js'
import { type ResolvedHttpAsyncOptions, resolveOptions } from './options.js'
import { Reasons } from './outcome.js'
import { Spool } from './spool/spool.js'
import { TextArena } from './text-arena.js'

const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
// Node's own default for a Writable.
const DEFAULT_HIGH_WATER_MARK = 16 * 1024

/** Test seams; not part of the documented options (they are not plain data). */
export interface HttpAsyncDeps {
  readonly clock?: Clock
  readonly random?: () => number
  /** Where diagnostics go (default: stderr). */
  readonly writeDiagnostic?: (line: string) => void
  readonly statsIntervalMs?: number
  /** The exit handoff's child: the spool's lock may be taken over from this (parent) pid. */
  readonly spoolHeirOf?: number
}

/**
 * The transport stream: pino's lines in (text or bytes), records delivered over HTTP. A plain
 * Writable rather than pino-abstract-transport's build(): its split2 stage decodes every line
 * to a string that would only be encoded again for the request body (it halved throughput);
 * here lines stay bytes from the worker's input to the socket.
 *
 * Backpressure: while the endpoint keeps up and half the buffer is taken, the chunk being taken
 * in is held (the rest of it, and its write callback), so pino's worker waits for 'drain' (a
 * burst slows the producer, as pino/file does). A writer that does not wait (pino's `targets`,
 * pino.multistream) queues chunks in the stream instead: those count against maxBufferBytes,
 * and past it the stream takes everything in, so that `overflow` bounds memory and counts the
 * drops. During an outage it never waits. A close signal from the main thread (see core's
 * signalClose), or the end of the input, starts the close: everything is taken in at once and
 * delivery goes on for closeTimeoutMs from there; ending or destroying the stream closes it.
 */
export class HttpAsyncStream extends Writable implements UnsentSource {
  readonly engine: DeliveryEngine<Buffer>
  readonly #sender: HttpSender
  readonly #splitter = new LineSplitter()
  readonly #arena = new TextArena()
  readonly #onLine: OnLine
  readonly #clock: Clock
  readonly #spool: Spool | undefined
  readonly #maxBufferBytes: number
  readonly #pieceBytes: number
  readonly #unsubscribe: () => void
  readonly #flushes = new FlushRequests(this)
  /** Arrival time of the chunk being split: the clock is read once per chunk, not per line. */
  #at = 0
  #more = true
  /** The chunk held back while the engine asked for a pause. */
  #held: Intake | undefined

  constructor(options: ResolvedHttpAsyncOptions, deps: HttpAsyncDeps = {}) {
    // Text stays text until the arena encodes it (no Buffer per line); bytes are taken as they are.
    // A writer that waits for 'drain' is told to wait before what it queues could pass the
    // bound (half of it is the engine's before it pauses).
    super({
      decodeStrings: false,
      highWaterMark: Math.min(DEFAULT_HIGH_WATER_MARK, Math.floor(options.maxBufferBytes / 4)),
    })
    const clock = deps.clock ?? SYSTEM_CLOCK
    this.#clock = clock
    this.#maxBufferBytes = options.maxBufferBytes
    this.#pieceBytes = pieceBytes(options.maxBufferBytes)
    this.#sender = createHttpSender(options, clock.now)
    // GET, and the form format, are Python's one request per record, sent as soon as it can be.
    const GET = options.method === 'GET' || options.format === 'form'
    this.engine = new DeliveryEngine<Buffer>(
      {
        ...options,
        maxBatchRecords: GET ? 1 : options.maxBatchRecords,
        flushIntervalMs: GET ? 0 : options.flushIntervalMs,
      },
      {
        send: this.#sender.send,
        // In a worker, core posts the stats to the main thread; on the main thread this emits them.
        stats: this,
        diagnostics: httpAsyncDiagnostics(options, deps.writeDiagnostic),
        target: this.#sender.target,
        clock,
        holder: this.#arena,
        ...(deps.random === undefined ? {} : { random: deps.random }),
        ...(deps.statsIntervalMs === undefined ? {} : { statsIntervalMs: deps.statsIntervalMs }),
      },
    )
    // pino's lines are JSON objects; in a JSON array anything else (a stray line from a pipe)
    // would make the server refuse the whole batch. Two bytes tell, nothing is parsed.
    const json = this.#sender.encoder.objectsOnly
    const heir = deps.spoolHeirOf === undefined ? undefined : { of: deps.spoolHeirOf }
    const spool = options.spool && new Spool(options.spool, this.engine.spool, options.maxRecordBytes, 'spool', heir)
    this.#spool = spool
    this.#onLine = (chunk, start, end) => {
      const flush = readFlushMarker(chunk, start, end)
      if (flush) this.#flushAt(flush)
      else if (json && (chunk[start] !== OPEN_BRACE || chunk[end - 1] !== CLOSE_BRACE)) {
        this.engine.refuse(Reasons.NOT_JSON, `a line that is not a JSON object was dropped (format ${options.format})`)
      } else if (spool) {
        if (!spool.accept(chunk, start, end, this.#at)) this.#more = false
      } else if (!this.engine.push(chunk, this.#at, start, end - start)) this.#more = false
    }
    this.engine.onResume(() => {
      this.#more = true
      const held = this.#held
      this.#held = undefined
      if (held) this.#take(held)
    })
    this.#unsubscribe = onCloseSignal(() => this.beginClose())
  }

  /**
   * A writer that ignores backpressure queues chunks in the stream: counted with what the
   * engine holds, past maxBufferBytes the held chunk and the queue go in (overflow decides).
   */
  override write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const ok = super.write(chunk, encoding as BufferEncoding, cb as (err?: Error | null) => void)
    const held = this.#held
    if (held !== undefined && this.#overrun(held)) {
      this.#held = undefined
      this.#take(held)
    }
    return ok
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#at = this.#clock.now()
    if (typeof chunk === 'string') {
      const { slab, start, end } = this.#arena.encode(chunk)
      this.#take({ bytes: slab, pos: start, end, length: chunk.length, cb })
    } else {
      this.#take({ bytes: chunk, pos: 0, end: chunk.length, length: chunk.length, cb })
    }
  }

  /** Whether what queues behind `intake`, with what the engine holds, is past maxBufferBytes. */
  #overrun(intake: Intake): boolean {
    return this.writableLength - intake.length + this.engine.bufferedBytes > this.#maxBufferBytes
  }

  /** Splits the chunk a piece at a time until done (then acknowledges it) or asked to pause. */
  #take(intake: Intake): void {
    const { bytes, end } = intake
    const force = this.#overrun(intake)
    while (intake.pos < end) {
      if (!this.#more && !force) {
        this.#spool?.commit()
        this.#held = intake
        return
      }
      const stop = pieceEnd(intake, this.#pieceBytes)
      this.#splitter.feed(bytes, this.#onLine, intake.pos, stop)
      intake.pos = stop
    }
    // On disk before the chunk is acknowledged.
    this.#spool?.commit()
    if (this.#more || force) intake.cb()
    else this.#held = intake
  }

  /**
   * Delivers every record written before the call, without closing: what is held goes now
   * (partial batches do not wait for flushIntervalMs; retries keep their backoff). Resolves once
   * each was delivered or dropped (counted), or after `timeoutMs` (default closeTimeoutMs) with
   * `complete: false`; never rejects. pino's `logger.flush(cb)` passes a callback instead of
   * options; in a worker, thread-stream calls this for `logger.flush()` of a single target.
   */
  flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    return this.#flushes.flush(this, argument, (timeoutMs) => this.engine.flush(timeoutMs))
  }

  /** A flush marker came out of the splitter: everything before it is in the engine. */
  #flushAt(request: FlushRequest): void {
    this.#spool?.commit()
    void this.engine.flush(request.timeoutMs).then((outcome) => this.#flushes.answer(request, outcome))
  }

  /**
   * Closing begins (idempotent): what is held back and queued is taken in at once, and the
   * close deadline starts now; delivery goes on until the input ends or the deadline passes.
   */
  beginClose(): void {
    this.engine.beginClose()
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#at = this.#clock.now()
    this.#splitter.end(this.#onLine)
    this.#spool?.commit()
    cb()
  }

  /**
   * The exit handoff (see core's Unsent): every record not yet acknowledged, the batch in flight
   * included (it may arrive twice: at-least-once), then what is still being split or queued
   * in the stream. Called once the event loop is gone; the stream is of no further use.
   */
  takeUnsent(): Unsent {
    const spool = this.#spool
    const held = this.#held
    this.#held = undefined
    if (spool?.active) {
      // Everything is on disk (what the stream still queued, once written; nothing is held
      // back: with a spool the stream never pauses): the child process opens the same spool,
      // and whatever it cannot deliver stays for the next start.
      for (const { chunk } of queuedChunks(this)) this.#splitter.feed(Buffer.from(chunk), this.#onLine)
      this.#splitter.end(this.#onLine)
      this.engine.abandon()
      spool.close()
      return { lines: [], spooled: spool.pending }
    }
    const lines = this.engine.unsentLines()
    const collect: OnLine = (chunk, start, end) => lines.push(chunk.toString('utf8', start, end))
    if (held) this.#splitter.feed(held.bytes, collect, held.pos, held.end)
    // Chunks the stream queued while the engine asked for a pause.
    for (const { chunk } of queuedChunks(this)) this.#splitter.feed(Buffer.from(chunk), collect)
    this.#splitter.end(collect)
    return { lines }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Destroyed by an error, or after finish (autoDestroy): either way deliver what is held,
    // within closeTimeoutMs, then let go of the connection. A chunk held back goes in.
    this.#unsubscribe()
    const held = this.#held
    this.#held = undefined
    if (held) {
      this.#splitter.feed(held.bytes, this.#onLine, held.pos, held.end)
      held.cb()
    }
    this.engine
      .close()
      .then((stats) => {
        // A flush whose marker was still queued when the stream went: its records are settled now.
        this.#flushes.settleAll(() => ({ complete: stats.buffered === 0, stats }))
        this.#spool?.close()
        return this.#sender.close()
      })
      .then(() => cb(err))
  }
}

/**
 * Builds the transport: a stream of pino lines whose records are delivered over HTTP. pino
 * calls it in its worker; on the main thread it is an ordinary stream (pino.multistream).
 */
export async function createHttpAsync(raw: HttpAsyncOptions, deps: HttpAsyncDeps = {}): Promise<HttpAsyncStream> {
  // A single `target` gets pino's own keys mixed into its options.
  return new HttpAsyncStream(resolveOptions(withoutPinoKeys(raw)), deps)
}

/**
 * The exit handoff's other end, in a short-lived child process: delivers what a dying
 * process's stream had not, then closes (within closeTimeoutMs, reporting what it could not).
 */
export async function deliverUnsent(raw: HttpAsyncOptions, unsent: Unsent): Promise<void> {
  // The dying parent may still hold the spool's lock (see SpoolHeir).
  const stream = await createHttpAsync(raw, { spoolHeirOf: process.ppid })
  const closed = new Promise((resolve) => stream.once('close', resolve))
  for (const line of unsent.lines) stream.write(`${line}\n`)
  stream.end()
  await closed
}

/**
 * The transport pino loads:
 * `pino.transport({ target: '@pino-advanced/http-async', options: { url: 'https://...' } })`.
 */
export default function httpAsyncTransport(raw: HttpAsyncOptions): Promise<HttpAsyncStream> {
  return startTransport('@pino-advanced/http-async', () => createHttpAsync(raw))
}
