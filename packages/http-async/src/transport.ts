import { Writable } from 'node:stream'
import { LineSplitter, type OnLine, type Unsent, type UnsentSource, withoutPinoKeys } from '@pino-advanced/core'
import { type Clock, SYSTEM_CLOCK } from './delivery/clock.js'
import { DeliveryEngine } from './delivery/engine.js'
import { httpAsyncDiagnostics } from './diagnostics.js'
import { createHttpSender, type HttpSender } from './http-sender.js'
import { type ResolvedHttpAsyncOptions, resolveOptions } from './options.js'
import { Reasons } from './outcome.js'
import { Spool } from './spool/spool.js'
import { TextArena } from './text-arena.js'

const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

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
 * Backpressure: while the endpoint keeps up and half the buffer is taken, a write's callback
 * waits, so pino's worker waits for 'drain' (a burst slows the producer, as pino/file does).
 * During an outage it never waits: `maxBufferBytes` and `overflow` bound what is held.
 * Ending or destroying the stream closes it: delivery within closeTimeoutMs, then a report.
 */
export class HttpAsyncStream extends Writable implements UnsentSource {
  readonly engine: DeliveryEngine<Buffer>
  readonly #sender: HttpSender
  readonly #splitter = new LineSplitter()
  readonly #arena = new TextArena()
  readonly #onLine: OnLine
  readonly #clock: Clock
  readonly #spool: Spool | undefined
  /** Arrival time of the chunk being split: the clock is read once per chunk, not per line. */
  #at = 0
  #more = true
  #waiting: (() => void) | undefined

  constructor(options: ResolvedHttpAsyncOptions, deps: HttpAsyncDeps = {}) {
    // Text stays text until the arena encodes it (no Buffer per line); bytes are taken as they are.
    super({ decodeStrings: false })
    const clock = deps.clock ?? SYSTEM_CLOCK
    this.#clock = clock
    this.#sender = createHttpSender(options, clock.now)
    const GET = options.method === 'GET'
    this.engine = new DeliveryEngine<Buffer>(
      {
        ...options,
        // GET is Python's one request per record, sent as soon as it can be.
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
    const json = options.format === 'json'
    const heir = deps.spoolHeirOf === undefined ? undefined : { of: deps.spoolHeirOf }
    const spool = options.spool && new Spool(options.spool, this.engine.spool, options.maxRecordBytes, 'spool', heir)
    this.#spool = spool
    this.#onLine = (chunk, start, end) => {
      if (json && (chunk[start] !== OPEN_BRACE || chunk[end - 1] !== CLOSE_BRACE)) {
        this.engine.refuse(Reasons.NOT_JSON, 'a line that is not a JSON object was dropped (format json)')
      } else if (spool) {
        if (!spool.accept(chunk, start, end, this.#at)) this.#more = false
      } else if (!this.engine.push(chunk, this.#at, start, end - start)) this.#more = false
    }
    this.engine.onResume(() => {
      this.#more = true
      const waiting = this.#waiting
      this.#waiting = undefined
      waiting?.()
    })
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#at = this.#clock.now()
    if (typeof chunk === 'string') {
      const { slab, start, end } = this.#arena.encode(chunk)
      this.#splitter.feed(slab, this.#onLine, start, end)
    } else {
      this.#splitter.feed(chunk, this.#onLine)
    }
    // On disk before the chunk is acknowledged.
    this.#spool?.commit()
    if (this.#more) cb()
    else this.#waiting = () => cb()
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
    if (spool?.active) {
      // Everything is on disk (what the stream still queued, once written): the child process
      // opens the same spool, and whatever it cannot deliver stays for the next start.
      const queued = (this as unknown as { writableBuffer: { chunk: Buffer | string }[] }).writableBuffer
      for (const { chunk } of queued) this.#splitter.feed(Buffer.from(chunk), this.#onLine)
      this.#splitter.end(this.#onLine)
      this.engine.abandon()
      spool.close()
      return { lines: [], spooled: spool.pending }
    }
    const lines = this.engine.unsentLines()
    const collect: OnLine = (chunk, start, end) => lines.push(chunk.toString('utf8', start, end))
    // Chunks the stream queued while the engine asked for a pause (undocumented but stable shape).
    const queued = (this as unknown as { writableBuffer: { chunk: Buffer | string }[] }).writableBuffer
    for (const { chunk } of queued) this.#splitter.feed(Buffer.from(chunk), collect)
    this.#splitter.end(collect)
    return { lines }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Destroyed by an error, or after finish (autoDestroy): either way deliver what is held,
    // within closeTimeoutMs, then let go of the connection. A write still waiting is released.
    this.#waiting?.()
    this.engine
      .close()
      .then(() => {
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
export async function createHttpAsync(raw: unknown, deps: HttpAsyncDeps = {}): Promise<HttpAsyncStream> {
  // A single `target` gets pino's own keys mixed into its options.
  return new HttpAsyncStream(resolveOptions(withoutPinoKeys(raw)), deps)
}

/**
 * The exit handoff's other end, in a short-lived child process: delivers what a dying
 * process's stream had not, then closes (within closeTimeoutMs, reporting what it could not).
 */
export async function deliverUnsent(raw: unknown, unsent: Unsent): Promise<void> {
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
export default function httpAsyncTransport(raw: unknown = {}): Promise<HttpAsyncStream> {
  return createHttpAsync(raw)
}
