import { DeliveryCounters, type DeliveryStats, DROP_REASONS } from '@pino-advanced/core'
import { countLines } from './file-destination.js'

/** Drop reason of the records `queue_size` turned away. */
export const QUEUE_FULL = DROP_REASONS.queueFull.name

/** The part of pino's worker transport (thread-stream) the stage drives. */
export interface WorkerInput {
  write(chunk: string): boolean
  once(event: 'drain', listener: () => void): unknown
}

/**
 * Python's bounded queue in front of the worker (`queue_size`, QueueHandler's maxsize): lines
 * go on into pino's worker stream while it takes them; once it says it is full (thread-stream's
 * shared buffer: write() returned false), at most `queueSize` records wait here for its
 * 'drain', and a record beyond them is dropped and counted `queue-full`, as Python's
 * put_nowait() refuses it. Without it thread-stream buffers without bound. A flush, the exit
 * and the close hand everything over first (`release`), so that nothing is overtaken.
 */
export class QueueStage {
  readonly #counters = new DeliveryCounters('queue')
  #held: string[] = []
  #heldRecords = 0
  #blocked = false

  constructor(
    private readonly input: WorkerInput,
    private readonly queueSize: number,
  ) {}

  write(chunk: string): boolean {
    const n = countLines(chunk)
    const counters = this.#counters
    counters.received += n
    if (!this.#blocked) {
      this.#forward(chunk, n)
    } else if (this.#heldRecords + n > this.queueSize) {
      counters.drop(QUEUE_FULL, n)
    } else {
      this.#held.push(chunk)
      this.#heldRecords += n
    }
    return true
  }

  /** Everything held goes to the worker now, whatever its buffer says (thread-stream keeps it). */
  release(): void {
    const held = this.#held
    this.#held = []
    this.#heldRecords = 0
    for (const chunk of held) this.#deliver(chunk, countLines(chunk))
  }

  stats(): DeliveryStats {
    return this.#counters.snapshot()
  }

  #forward(chunk: string, n: number): void {
    if (this.#deliver(chunk, n)) return
    this.#blocked = true
    this.input.once('drain', () => this.#drained())
  }

  #deliver(chunk: string, n: number): boolean {
    this.#counters.delivered += n
    return this.input.write(chunk)
  }

  #drained(): void {
    this.#blocked = false
    const held = this.#held
    let i = 0
    while (!this.#blocked && i < held.length) {
      const chunk = held[i++] as string
      const n = countLines(chunk)
      this.#heldRecords -= n
      this.#forward(chunk, n)
    }
    held.splice(0, i)
  }
}
