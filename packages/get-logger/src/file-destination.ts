import { EventEmitter } from 'node:events'
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DeliveryCounters,
  type Diagnostics,
  DROP_REASONS,
  type FlushArgument,
  type FlushOutcome,
  FlushWaiters,
  flushArgument,
  type StatsEmitter,
  StatsReporter,
  settleWithin,
} from '@pino-advanced/core'
import sonicBoomModule, { type SonicBoom, type SonicBoomOpts } from 'sonic-boom'
import { formatChunk, type LineFormat, type LineFormatter, lineFormatter } from './format/line-format.js'
import { RotatingFile, type RotationPolicy } from './rotation/rotating-file.js'

// sonic-boom is CommonJS (module.exports = SonicBoom); its types describe the named export.
const SonicBoomCtor = sonicBoomModule as unknown as new (opts: SonicBoomOpts) => SonicBoom

/** Under pino's 10 s exit limit, beside the handlers' own 5 s close deadlines. */
export const FILE_CLOSE_DEADLINE_MS = DEFAULT_CLOSE_TIMEOUT_MS

/** Drop reasons of console and file. */
export const FileDropReasons = Object.freeze({
  /** The file (or stdout) refused a write: a full disk, a closed pipe. */
  WRITE_ERROR: DROP_REASONS.writeError.name,
  /** Still unwritten when the close deadline passed. */
  CLOSE_TIMEOUT: DROP_REASONS.closeTimeout.name,
})

export interface FileDestinationOptions {
  /** An open fd (1 = stdout) or a path (opened for appending, directories made). */
  readonly destination: number | string
  /** `console` or `file`: the name its counts go under in getStats(). */
  readonly statsName: string
  /**
   * Synchronous writes (the application's thread: nothing may be in flight at process.exit()),
   * or asynchronous bytes (a worker: records arrive in large chunks).
   */
  readonly sync: boolean
  /** A path's rotation, as Python's rotating handlers do it (always written synchronously). */
  readonly rotation?: RotationPolicy
  /** Text instead of pino's JSON: coloured (pino-pretty) or Python's `fmt`. */
  readonly format?: LineFormat
  readonly statsIntervalMs?: number
}

/** What FileDestination writes through: sonic-boom, or a rotating file with the same calls. */
type LineSink = Pick<SonicBoom, 'write' | 'flushSync' | 'end' | 'on' | 'once'>

const NEWLINE = 10

/** Newlines in a chunk of pino lines: its records. */
export function countLines(chunk: string | Buffer): number {
  let n = 0
  if (typeof chunk === 'string') {
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++
  } else {
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n++
  }
  return n
}

/**
 * Console or file as a destination with counts, as the handlers have: pino lines written with
 * sonic-boom, each counted received, then delivered once the write returned (sync) or once
 * sonic-boom reports its bytes written (async), or dropped with a reason.
 */
export class FileDestination extends EventEmitter {
  readonly counters: DeliveryCounters
  readonly #sonic: LineSink
  readonly #reporter: StatsReporter
  readonly #diagnostics: Diagnostics
  readonly #sync: boolean
  readonly #where: string
  readonly #format: LineFormatter | undefined
  // Async: the bytes and records of each chunk handed over, oldest first, until written.
  #sizes: number[] = []
  #records: number[] = []
  #head = 0
  #written = 0
  #pending = 0
  #failure: Error | undefined
  #closing: Promise<void> | undefined
  /** Flushes waiting for records to be written (in order: delivered + dropped is the front). */
  readonly #flushes = new FlushWaiters()

  /** `stats`: where the counts go (default: this object's STATS_EVENT; a worker's stream, there). */
  constructor(options: FileDestinationOptions, diagnostics: Diagnostics, stats?: StatsEmitter) {
    super()
    this.counters = new DeliveryCounters(options.statsName)
    this.#reporter = new StatsReporter(stats ?? this, this.counters, options.statsIntervalMs)
    this.#diagnostics = diagnostics
    const { destination, rotation } = options
    this.#format = options.format && lineFormatter(options.format)
    this.#sync = options.sync || rotation !== undefined
    const streams: Readonly<Record<number, string>> = { 1: 'stdout', 2: 'stderr' }
    this.#where = streams[destination as number] ?? `file ${String(destination)}`
    this.#sonic =
      rotation !== undefined && typeof destination === 'string'
        ? (new RotatingFile(destination, rotation, (message) =>
            diagnostics.report('rotate', message),
          ) as unknown as LineSink)
        : new SonicBoomCtor({
            ...(typeof destination === 'number' ? { fd: destination } : { dest: destination }),
            sync: options.sync,
            mkdir: true,
            ...(options.sync ? {} : { contentMode: 'buffer' as const }),
          })
    this.#sonic.on('error', (err: Error) => this.#fail(err))
    if (!options.sync) this.#sonic.on('write', (n: number) => this.#wrote(n))
  }

  /** One or more whole lines: text on the application's thread, bytes in a worker. */
  write(input: string | Buffer): boolean {
    const n = countLines(input)
    const format = this.#format
    const text = format && formatChunk(typeof input === 'string' ? input : input.toString('utf8'), format)
    // Async writes are bytes, counted by their length as sonic-boom reports it.
    const chunk = text === undefined ? input : this.#sync ? text : Buffer.from(text)
    const counters = this.counters
    counters.received += n
    if (this.#failure) {
      counters.drop(FileDropReasons.WRITE_ERROR, n)
    } else if (this.#sync) {
      this.#sonic.write(chunk as string)
      // A refused write emits 'error' during the call, which counts it as dropped.
      if (!this.#failure) counters.delivered += n
      else counters.drop(FileDropReasons.WRITE_ERROR, n)
    } else {
      this.#sizes.push(chunk.length)
      this.#records.push(n)
      this.#pending += n
      // sonic-boom's types only know text; in buffer mode it takes bytes.
      this.#sonic.write(chunk as unknown as string)
    }
    this.#reporter.changed()
    return true
  }

  #wrote(bytes: number): void {
    this.#written += bytes
    while (this.#head < this.#sizes.length && (this.#sizes[this.#head] as number) <= this.#written) {
      const records = this.#records[this.#head] as number
      this.#written -= this.#sizes[this.#head] as number
      this.counters.delivered += records
      this.#pending -= records
      this.#head++
    }
    this.#flushes.review(this.#settled)
    if (this.#head > 1024 && this.#head * 2 > this.#sizes.length) {
      this.#sizes = this.#sizes.slice(this.#head)
      this.#records = this.#records.slice(this.#head)
      this.#head = 0
    }
    this.#reporter.changed()
  }

  #fail(err: Error): void {
    if (!this.#failure) this.#diagnostics.report('write', `${this.#where}: ${err.message}; records dropped`)
    this.#failure = err
    this.#dropPending(FileDropReasons.WRITE_ERROR)
  }

  #dropPending(reason: string): void {
    if (this.#pending > 0) this.counters.drop(reason, this.#pending)
    this.#pending = 0
    this.#sizes = []
    this.#records = []
    this.#head = 0
    this.#flushes.review(this.#settled)
  }

  /** Records written or dropped, in the order they came. */
  get #settled(): number {
    return this.counters.delivered + this.counters.droppedTotal
  }

  /**
   * Resolves once every record written to it before the call is in the file (or dropped,
   * counted), or after `timeoutMs` (default: its close deadline) with `complete: false`. A
   * callback (a memory buffer's sink flush) is called when done. Never rejects.
   */
  async flush(argument: FlushArgument = {}): Promise<FlushOutcome> {
    const { timeoutMs, callback } = flushArgument(argument)
    const mark = this.counters.received
    const complete = this.#settled >= mark || (await this.#flushes.add(mark, timeoutMs ?? FILE_CLOSE_DEADLINE_MS))
    this.#reporter.publishNow()
    callback?.()
    return { complete, stats: this.counters.snapshot() }
  }

  /** Exit path: whatever sonic-boom holds is written now. */
  flushSync(): void {
    if (!this.#failure) this.#sonic.flushSync()
  }

  /** Writes what is held and closes (stdout stays open), within `deadlineMs`; idempotent. */
  close(deadlineMs: number): Promise<void> {
    this.#closing ??= this.#close(deadlineMs)
    return this.#closing
  }

  async #close(deadlineMs: number): Promise<void> {
    const sonic = this.#sonic
    const closed = new Promise<void>((resolve) => {
      sonic.once('close', () => resolve())
      sonic.once('error', () => resolve())
    })
    if (!this.#failure) sonic.end()
    const settled = this.#failure ? { done: true } : await settleWithin(closed, deadlineMs)
    // Synchronous writes hold nothing: a late 'close' (this thread was busy) loses nothing.
    if (!settled.done && this.#pending > 0) {
      const pending = this.#pending
      this.#dropPending(FileDropReasons.CLOSE_TIMEOUT)
      this.#diagnostics.always(`close: ${pending} records not written to ${this.#where} within ${deadlineMs} ms`)
    }
    this.#flushes.stopAll(this.#settled)
    this.#reporter.publishNow()
  }
}
