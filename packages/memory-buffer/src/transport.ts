import { Transform, type TransformCallback, Writable } from 'node:stream'
import { isMainThread } from 'node:worker_threads'
import {
  type Diagnostics,
  DROP_REASONS,
  type FlushArgument,
  type FlushOutcome,
  type FlushRequest,
  FlushRequests,
  FlushWaiters,
  type OnSpan,
  once,
  pinoLevels,
  RawLineSplitter,
  readFlushMarker,
  settleWithin,
  startTransport,
  withoutPinoKeys,
} from '@pino-advanced/core'
import sonicBoomModule, { type SonicBoomOpts, type SonicBoom as SonicBoomType } from 'sonic-boom'
import { BufferPump } from './buffer-pump.js'
import { memoryBufferDiagnostics } from './diagnostics.js'
import { ByteSpans, spanLevel } from './line-store.js'
import type { MemoryBufferOptions } from './options.js'
import { type ResolvedMemoryBufferOptions, resolveOptions } from './options.js'

// sonic-boom is CommonJS whose .d.ts describes an ES default export: at run time the default
// import is the constructor itself.
const SonicBoom = sonicBoomModule as unknown as new (opts: SonicBoomOpts) => SonicBoomType

/** Drop reason of what a pipeline stage still held when it was destroyed before its end. */
export const DESTROYED = DROP_REASONS.destroyed.name

/** A flush marker read from the input: the request, and the marker's line (newline included). */
type OnFlush = (request: FlushRequest, line: Buffer) => void

/**
 * Each line the splitter cuts goes into the store, then to the pump with its level; a flush
 * marker (see core's flushMarker) goes to `onFlush` instead.
 */
function spanFeeder(spans: ByteSpans, pump: BufferPump<Buffer>, onFlush: OnFlush): OnSpan {
  return (chunk, start, end) => {
    const flush = readFlushMarker(chunk, start, end)
    if (flush) {
      onFlush(flush, chunk.subarray(start, end))
      return
    }
    spans.push(chunk, start, end)
    pump.added(spanLevel(chunk, start, end))
  }
}

/**
 * A pipeline stage: lines in, released lines out of the readable side, byte for byte, for the
 * next stage. A plain Transform (not pino-abstract-transport's build(), whose split2 stage
 * halved throughput) so that the next stage's backpressure holds this one back as usual.
 */
export class MemoryBufferStage extends Transform {
  readonly #splitter = new RawLineSplitter()
  readonly #spans = new ByteSpans()
  readonly #pump: BufferPump<Buffer>
  readonly #onLine: OnSpan
  readonly #flushes = new FlushRequests(this)
  #ended = false
  #placed = false
  /** Set when nothing reads this stage (see #place): released lines go to stdout. */
  #stdout: SonicBoomType | undefined

  constructor(options: ResolvedMemoryBufferOptions, diagnostics: Diagnostics) {
    super()
    const output = (chunk: Buffer) => {
      // sonic-boom's types only know text; in buffer mode it takes bytes.
      /* c8 ignore next */
      if (this.#stdout) this.#stdout.write(chunk as unknown as string)
      else this.push(chunk)
    }
    // In a worker, core posts the stats to the main thread; on the main thread this emits them.
    this.#pump = new BufferPump(options, this.#spans, output, this, diagnostics)
    this.#onLine = spanFeeder(this.#spans, this.#pump, (request, line) => {
      const stats = this.#pump.flush()
      // The main thread's flush goes on to the next stage, behind what was just released.
      if (!request.local) this.push(Buffer.from(line))
      this.#flushes.answer(request, { complete: true, stats })
    })
  }

  /**
   * Releases everything written before the call to the next stage (what the next stage does
   * with it is its own flush). Resolves with the counts; never rejects. pino's
   * `logger.flush(cb)` passes a callback instead of options.
   */
  flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    return this.#flushes.flush(this, argument, async () => ({ complete: true, stats: this.#pump.stats() }))
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    if (!this.#placed) this.#place()
    this.#splitter.feed(chunk, this.#onLine)
    cb()
  }

  /**
   * A stage with no next stage (a target of its own in pino's worker, without `destination`):
   * pino's pipeline pipes every stage before the first record, so nothing reading it by now
   * means nothing ever will. It writes to stdout then, as pino/file does without a
   * destination, rather than holding its output (and pino's exit) forever. On the main thread
   * a Duplex may be read later: it is left alone there.
   */
  #place(): void {
    this.#placed = true
    // Only in a worker, where tap's coverage cannot see; no-destination.test.ts checks it there.
    /* c8 ignore next */
    if (this.readableFlowing === null && !isMainThread) this.#toStdout()
  }

  /* c8 ignore start */
  #toStdout(): void {
    this.#stdout = new SonicBoom({ fd: 1, sync: false, contentMode: 'buffer' })
    // Its readable side carries nothing now; flowing, it can end (and the stream close).
    this.resume()
  }
  /* c8 ignore stop */

  override _flush(cb: TransformCallback): void {
    this.#ended = true
    const rest = this.#splitter.end()
    if (rest !== undefined) this.#onLine(rest, 0, rest.length)
    this.#pump.close()
    // Writing to stdout: the stream closes (and pino's worker may exit) once it is written.
    /* c8 ignore start */
    const stdout = this.#stdout
    if (stdout !== undefined) {
      stdout.once('close', () => cb())
      stdout.end()
      return
    }
    /* c8 ignore stop */
    cb()
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    // Destroyed before its end (an error in the pipeline): the readable side goes with it,
    // so what is held can no longer be passed on; say so instead of counting it delivered.
    if (!this.#ended) this.#pump.abandon(DESTROYED)
    this.#flushes.settleAll(() => ({ complete: true, stats: this.#pump.stats() }))
    cb(err)
  }
}

/**
 * A final target: released lines are written to `destination` with sonic-boom. Ending (or
 * destroying) releases what is held and waits for the file, at most `closeTimeoutMs`.
 */
export class MemoryBufferTarget extends Writable {
  readonly #splitter = new RawLineSplitter()
  readonly #spans = new ByteSpans()
  readonly #pump: BufferPump<Buffer>
  readonly #onLine: OnSpan
  readonly #close: () => Promise<void>
  readonly #flushes = new FlushRequests(this)
  // Bytes handed to sonic-boom and written by it: a flush waits for the file to have them.
  readonly #written = new FlushWaiters()
  #handedBytes = 0
  #writtenBytes = 0

  constructor(options: ResolvedMemoryBufferOptions, diagnostics: Diagnostics) {
    super()
    const where = `destination ${String(options.destination)}`
    // Buffer mode: released lines are bytes, written as they are (no decoding to text).
    const dest = new SonicBoom({
      dest: options.destination as string | number,
      sync: false,
      mkdir: true,
      contentMode: 'buffer',
    })
    let failure: Error | undefined
    dest.on('error', (err: Error) => {
      failure = err
      diagnostics.report('destination', `${where}: ${err.message}`)
      // Nothing more will be written: a flush waiting for the file ends now, incomplete if
      // bytes handed to sonic-boom were not written (they are lost with it).
      this.#written.stopAll(this.#writtenBytes)
    })
    dest.on('write', (n: number) => {
      this.#writtenBytes += n
      this.#written.review(this.#writtenBytes)
    })
    this.#pump = new BufferPump(
      options,
      this.#spans,
      (chunk) => {
        if (failure) throw failure
        this.#handedBytes += chunk.length
        // sonic-boom's types only know text; in buffer mode it takes bytes.
        dest.write(chunk as unknown as string)
      },
      this,
      diagnostics,
    )
    this.#onLine = spanFeeder(this.#spans, this.#pump, (request) => {
      const stats = this.#pump.flush()
      const mark = this.#handedBytes
      // After a destination error nothing more will be written: no reason to wait.
      const written =
        this.#writtenBytes >= mark || failure
          ? Promise.resolve(this.#writtenBytes >= mark)
          : this.#written.add(mark, request.timeoutMs ?? options.closeTimeoutMs)
      void written.then((complete) => this.#flushes.answer(request, { complete, stats }))
    })
    this.#close = once(async () => {
      const rest = this.#splitter.end()
      if (rest !== undefined) this.#onLine(rest, 0, rest.length)
      this.#pump.close()
      if (!failure) {
        const closed = new Promise<void>((resolve) => {
          dest.once('close', resolve)
          dest.once('error', () => resolve())
        })
        dest.end()
        const settled = await settleWithin(closed, options.closeTimeoutMs)
        this.#written.stopAll(settled.done ? this.#handedBytes : this.#writtenBytes)
        if (!settled.done) {
          diagnostics.always(
            `close: ${where} did not finish writing within closeTimeoutMs (${options.closeTimeoutMs} ms); the last released lines may be missing`,
          )
        }
      }
      // Last: a flush waiting for the file was answered just now (a microtask after stopAll);
      // settled here is only one whose marker never reached the splitter (destroyed first).
      await undefined
      this.#flushes.settleAll(() => ({ complete: true, stats: this.#pump.stats() }))
    })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#splitter.feed(chunk, this.#onLine)
    cb()
  }

  /**
   * Releases everything written before the call and waits until the destination has it (at
   * most `timeoutMs`, default closeTimeoutMs). Resolves with the counts; never rejects. pino's
   * `logger.flush(cb)` passes a callback instead of options.
   */
  flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    return this.#flushes.flush(this, argument, async () => ({ complete: true, stats: this.#pump.stats() }))
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#close().then(() => cb())
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    // Also on a destroy without an end: what is held still goes to the file.
    this.#close().then(() => cb(err))
  }
}

/**
 * The transport pino loads: `pino.transport({ target: '@pino-advanced/memory-buffer', options })`.
 * With `destination` it is a final target; without, a pipeline stage whose released lines go
 * to the next stage. Also works when called on the main thread (pino.multistream).
 */
export default async function memoryBufferTransport(
  raw: MemoryBufferOptions = {},
): Promise<MemoryBufferStage | MemoryBufferTarget> {
  return startTransport('@pino-advanced/memory-buffer', () => {
    // A single `target` gets pino's own keys mixed into its options.
    const options = resolveOptions(withoutPinoKeys(raw), '', pinoLevels(raw))
    const diagnostics = memoryBufferDiagnostics()
    return options.destination === undefined
      ? new MemoryBufferStage(options, diagnostics)
      : new MemoryBufferTarget(options, diagnostics)
  })
}
