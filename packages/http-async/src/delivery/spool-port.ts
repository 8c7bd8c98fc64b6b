import type { BatchQueue, DeliveryCounters, QueueItem, StatsReporter } from '@pino-advanced/core'

/**
 * Records kept outside the engine's memory (the durable spool): read into the queue as it has
 * room, told when records leave the front of the queue's order, and kept, not dropped, at close.
 */
export interface Backlog {
  /** The `n` oldest records held left the queue (delivered, or dropped and counted). */
  release(n: number): void
  /** Moves waiting records into the queue (with `hold`) while it has room. */
  refill(): void
  /** Records waiting outside the queue. */
  readonly waiting: number
  /** Named in the close report: where undelivered records are kept. */
  readonly where: string
}

/** What the engine lends its spool port. */
export interface SpoolPortDeps<T extends QueueItem> {
  readonly queue: BatchQueue<T>
  readonly counters: DeliveryCounters
  readonly reporter: StatsReporter
  readonly maxBufferBytes: number
  /** Says something on stderr about the target (rate-limited per key). */
  readonly report: (key: string, message: string) => void
  /** A record was held: send what is due (the engine's fast check first). */
  readonly held: () => void
  /** The engine's own push (bounded, may ask to pause). */
  readonly push: (line: T, at: number, offset: number, bytes: number) => boolean
  /** `n` records the backlog kept (not yet held) were dropped: they will never be held. */
  readonly skipped: (n: number) => void
}

/**
 * The engine as the durable spool sees it: the methods only the spool calls. The spool
 * counts records received when they are on disk (`accepted`), holds them in memory as there
 * is room (`hold`, no bound applied: the spool checked `hasRoom`), and falls back to the
 * bounded `push` once it has failed (`detach`).
 */
export class SpoolPort<T extends QueueItem> {
  readonly #deps: SpoolPortDeps<T>
  #backlog: Backlog | undefined

  constructor(deps: SpoolPortDeps<T>) {
    this.#deps = deps
  }

  /** The spool attached, if any (undefined once it failed). */
  get backlog(): Backlog | undefined {
    return this.#backlog
  }

  /** Records held in memory (waiting or in flight). */
  get held(): number {
    return this.#deps.queue.length
  }

  /** Bytes the buffer can take before `maxBufferBytes`. */
  get roomBytes(): number {
    return this.#deps.maxBufferBytes - this.#deps.queue.bytes
  }

  /** Whether a record of `bytes` fits in the buffer now (any record does when it is empty). */
  hasRoom(bytes: number): boolean {
    const queue = this.#deps.queue
    return queue.length === 0 || queue.bytes + bytes <= this.#deps.maxBufferBytes
  }

  /** Records are kept outside memory from now on; they count as received already. */
  attach(backlog: Backlog): void {
    this.#backlog = backlog
  }

  /** No backlog any more (the spool failed): memory only, bounded by maxBufferBytes and overflow. */
  detach(): void {
    this.#backlog = undefined
  }

  /** A record already counted received (see `accepted`), held with no bound applied. */
  hold(line: T, at: number, offset: number, bytes: number): void {
    this.#deps.queue.hold(line, bytes, at, offset)
    this.#deps.held()
    this.#deps.reporter.changed()
  }

  /** A record from a spool that failed: as without one. */
  push(line: T, at: number, offset: number, bytes: number): boolean {
    return this.#deps.push(line, at, offset, bytes)
  }

  /** `n` records arrived that the backlog keeps (counted received now, held later). */
  accepted(n: number): void {
    this.#deps.counters.received += n
    this.#deps.reporter.changed()
  }

  /** `n` records the backlog held, not yet in memory, were lost (`reason`): counted dropped, reported. */
  dropKept(reason: string, n: number, message: string): void {
    this.#drop(reason, n, message)
    this.#deps.skipped(n)
  }

  report(key: string, message: string): void {
    this.#deps.report(key, message)
  }

  /** A record refused on arrival (`reason`): counted received and dropped, reported. */
  refuse(reason: string, message: string): void {
    this.#deps.counters.received++
    this.#drop(reason, 1, message)
  }

  #drop(reason: string, n: number, message: string): void {
    this.#deps.counters.drop(reason, n)
    this.#deps.report(reason, message)
    this.#deps.reporter.changed()
  }
}
