import { QueueDropReasons } from '@pino-advanced/core'
import type { Backlog, SpoolPort } from '../delivery/spool-port.js'
import { Reasons } from '../outcome.js'
import { acquireSpoolLock, type SpoolHeir } from './lock.js'
import { SegmentStore } from './segment-store.js'
import type { ResolvedSpoolOptions } from './spool-options.js'

/**
 * The durable spool (`spool: { dir, maxBytes }`) between the transport's input and its
 * delivery queue. Every record is appended to disk as it arrives (committed once per chunk,
 * before the chunk is acknowledged); it also goes straight into memory while the queue has
 * room and nothing older waits on disk, otherwise it waits on disk and is read back as
 * deliveries free room. A delivered (or dropped) batch is acknowledged on disk. What an earlier
 * process left is read back first, counted received. Memory stays within maxBufferBytes during
 * an outage; the disk within spool.maxBytes (past it the oldest records are dropped, counted).
 */
export class Spool implements Backlog {
  readonly where: string
  readonly #store: SegmentStore
  readonly #engine: SpoolPort<Buffer>
  readonly #maxRecordBytes: number
  readonly #release: () => void
  /** Records appended since the last commit (counted received at commit). */
  #arrived = 0
  #closed = false
  #failed = false

  constructor(
    options: ResolvedSpoolOptions,
    engine: SpoolPort<Buffer>,
    maxRecordBytes: number,
    option: string,
    heir?: SpoolHeir,
  ) {
    this.where = `the spool ${options.dir}`
    this.#engine = engine
    this.#maxRecordBytes = maxRecordBytes
    this.#release = acquireSpoolLock(options.dir, `${option}.dir`, heir)
    let opened: ReturnType<typeof SegmentStore.open>
    try {
      opened = SegmentStore.open(options)
    } catch (err) {
      this.#release()
      throw err
    }
    this.#store = opened.store
    if (opened.damaged > 0) {
      engine.report(
        'spool-damaged',
        `${opened.damaged} spool segment(s) ended in a torn or corrupt write (a kill mid-append); the whole records before it are kept`,
      )
    }
    engine.accepted(opened.leftovers)
    engine.attach(this)
    this.refill()
  }

  /** Not failed (see #fail) nor closed: records go to disk. */
  get active(): boolean {
    return !this.#failed && !this.#closed
  }

  get waiting(): number {
    return this.#store.unread
  }

  /**
   * One record arriving, bytes `[start, end)` of `chunk`: on disk (at the next commit), and in
   * memory when it may go there. The source is never asked to pause: the disk is the buffer.
   */
  accept(chunk: Buffer, start: number, end: number, at: number): boolean {
    const bytes = end - start
    const engine = this.#engine
    // The spool failed: memory only, as without one (pino may be asked to wait again).
    if (this.#failed) return engine.push(chunk, at, start, bytes)
    if (bytes > this.#maxRecordBytes) {
      engine.refuse(
        QueueDropReasons.RECORD_TOO_LARGE,
        `a record of ${bytes} bytes was dropped: over maxRecordBytes (${this.#maxRecordBytes})`,
      )
      return true
    }
    const store = this.#store
    const held = store.caughtUp && engine.hasRoom(bytes)
    store.append(chunk, held, start, end)
    this.#arrived++
    if (held) engine.hold(chunk, at, start, bytes)
    return true
  }

  /** Writes the records accepted since the last commit (once per chunk). */
  commit(): void {
    if (this.#failed) return
    try {
      this.#store.commit()
    } catch (err) {
      this.#fail(err, 'writing')
      return
    }
    if (this.#arrived > 0) {
      this.#engine.accepted(this.#arrived)
      this.#arrived = 0
    }
    this.#countDropped()
  }

  // Never called once the spool is closed: the engine is abandoned (exit handoff), detached
  // (#fail) or closed (end of stream) first.
  release(n: number): void {
    try {
      this.#store.ack(n)
    } catch (err) {
      this.#fail(err, 'acknowledging')
    }
  }

  refill(): void {
    const store = this.#store
    const engine = this.#engine
    // Full: wait for a delivery (an empty queue takes one record, whatever its size; a retry
    // frees nothing, and reading one more per retry would creep past the bound).
    if (this.#closed || store.unread === 0 || (engine.held > 0 && engine.roomBytes <= 0)) return
    try {
      // Read back records have waited already: arrival time 0 makes their batch due at once.
      store.read(engine.roomBytes, (block, start, length) => engine.hold(block, 0, start, length))
    } catch (err) {
      this.#fail(err, 'reading')
    }
  }

  /**
   * A disk error (a full disk, a file removed under it): delivery must go on, so the spool is
   * turned off for the rest of this process and the transport works from memory, as without
   * one. Records not yet written go to memory; those on disk and not yet read stay there for
   * the next start, counted here as `spool-error`; acknowledgements stop (what was delivered
   * may come again at the next start: at-least-once).
   */
  #fail(err: unknown, doing: string): void {
    this.#failed = true
    const engine = this.#engine
    engine.detach()
    const store = this.#store
    // Records accepted since the last commit are not counted yet (commit counts them): those
    // still staged and not in memory are pushed (push counts them), the rest are counted here
    // (held in memory, or written already when what failed came after the write).
    const pushed = store.abandonStaged((block, start, length) => engine.push(block, 0, start, length))
    engine.accepted(this.#arrived - pushed)
    this.#arrived = 0
    const left = store.unread
    const message = `${this.where}: ${doing} failed (${(err as Error).message}); the spool is off for this process, records are held in memory only (maxBufferBytes, overflow)`
    if (left > 0) {
      engine.dropKept(
        Reasons.SPOOL_ERROR,
        left,
        `${message}; ${left} record(s) not yet sent stay in the spool for the next start`,
      )
    } else engine.report(Reasons.SPOOL_ERROR, message)
    this.close()
  }

  #countDropped(): void {
    const dropped = this.#store.takeDropped()
    if (dropped > 0) {
      this.#engine.dropKept(
        Reasons.SPOOL_FULL,
        dropped,
        `the spool is over spool.maxBytes: its ${dropped} oldest unsent record(s) were deleted`,
      )
    }
  }

  /** Records on disk not yet acknowledged: delivered by the next start if not by this one. */
  get pending(): number {
    return this.#store.pending
  }

  /** Commits, lets go of the files and the lock; what is unacknowledged stays. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    // A failing commit turns the spool off (see #fail) and empties the staging buffer.
    this.commit()
    this.#store.close()
    this.#release()
  }
}
