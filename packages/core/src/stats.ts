import { isMainThread, parentPort } from 'node:worker_threads'

/** The event that carries a destination's counts to the main thread. */
export const STATS_EVENT = 'pino-advanced:stats'

export interface DeliveryStats {
  /** Which destination these counts are for (`http`, `smtp`, `memory-buffer`). */
  readonly destination: string
  readonly received: number
  readonly delivered: number
  /** Dropped records by reason (`overflow`, `record-too-large`, `http-400`, `closed`...). */
  readonly dropped: Readonly<Record<string, number>>
  readonly retried: number
  /** Received, neither delivered nor dropped yet. */
  readonly buffered: number
}

/**
 * A destination's counters. `buffered` is derived, so received = delivered + dropped +
 * buffered holds by construction; what a test checks is that `buffered` matches what the
 * destination really holds.
 */
export class DeliveryCounters {
  received = 0
  delivered = 0
  retried = 0
  readonly #dropped = new Map<string, number>()
  #droppedTotal = 0

  constructor(readonly destination: string) {}

  drop(reason: string, count = 1): void {
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + count)
    this.#droppedTotal += count
  }

  get droppedTotal(): number {
    return this.#droppedTotal
  }

  get buffered(): number {
    return this.received - this.delivered - this.#droppedTotal
  }

  snapshot(): DeliveryStats {
    return {
      destination: this.destination,
      received: this.received,
      delivered: this.delivered,
      dropped: Object.fromEntries(this.#dropped),
      retried: this.retried,
      buffered: this.buffered,
    }
  }
}

/** Something that can emit the stats event in the main thread (the transport stream). */
export interface StatsEmitter {
  emit(event: string, ...args: unknown[]): boolean
}

/**
 * Sends counts to whoever reads them: in a pino worker, thread-stream forwards an `EVENT`
 * message as an event on the main thread's transport stream; in the main thread, the stream
 * emits it directly.
 */
export function publishStats(stream: StatsEmitter, stats: DeliveryStats): void {
  // Runs only inside a worker, where tap's coverage cannot see; stats.test.ts checks it there.
  /* c8 ignore next 2 */
  if (!isMainThread && parentPort) {
    parentPort.postMessage({ code: 'EVENT', name: STATS_EVENT, args: [stats] })
  } else {
    stream.emit(STATS_EVENT, stats)
  }
}

/**
 * Publishes a destination's counts at most once per `intervalMs` while they change, and at
 * once on `publishNow()` (close). Publishing per record would flood the thread boundary.
 */
export class StatsReporter {
  #timer: NodeJS.Timeout | undefined

  constructor(
    private readonly stream: StatsEmitter,
    readonly counters: DeliveryCounters,
    private readonly intervalMs = 1000,
  ) {}

  /** Something changed: publish soon. */
  changed(): void {
    if (this.#timer) return
    this.#timer = setTimeout(() => this.publishNow(), this.intervalMs)
    this.#timer.unref()
  }

  /** Publish now and cancel any pending publish. */
  publishNow(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    publishStats(this.stream, this.counters.snapshot())
  }
}

/**
 * The line a destination prints when it closes having dropped anything (undefined when nothing
 * was): `closed: N records received, N delivered, N not delivered (reason: n, ...)`, with the
 * destination's own word for delivered (`mailed`).
 */
export function closedSummary(stats: DeliveryStats, delivered = 'delivered'): string | undefined {
  const dropped = Object.entries(stats.dropped)
  if (dropped.length === 0) return undefined
  const total = dropped.reduce((sum, [, n]) => sum + n, 0)
  const reasons = dropped.map(([reason, n]) => `${reason}: ${n}`).join(', ')
  return `closed: ${stats.received} records received, ${stats.delivered} ${delivered}, ${total} not ${delivered} (${reasons})`
}
