import type { Clock } from '../../packages/core/src/clock.ts'

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Clock {
  #t: number
  #next = 1
  readonly #timers = new Map<number, { at: number; fn: () => void }>()
  /** Every delay asked for, in order (retry waits, flush timers). */
  readonly delays: number[] = []

  /** `start`: the time now() reads before any advance. */
  constructor(start = 0) {
    this.#t = start
  }

  now = (): number => this.#t

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++
    this.#timers.set(id, { at: this.#t + ms, fn })
    this.delays.push(ms)
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  /** Timers set and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.#timers.size
  }

  /** Moves time forward, firing due timers in order; for code that never awaits. */
  advanceSync(ms: number): void {
    const end = this.#t + ms
    while (this.#fireNext(end)) {}
    this.#t = end
  }

  /** Moves time forward, firing due timers in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.#t + ms
    do {
      await settle()
    } while (this.#fireNext(end))
    this.#t = end
    await settle()
  }

  /** Fires the earliest timer due by `end` (the first set, on a tie); false when none is. */
  #fireNext(end: number): boolean {
    let first: [number, { at: number; fn: () => void }] | undefined
    for (const entry of this.#timers) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry
    if (!first) return false
    this.#timers.delete(first[0])
    this.#t = Math.max(this.#t, first[1].at)
    first[1].fn()
    return true
  }
}

/** Lets pending promise callbacks and immediates run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}
