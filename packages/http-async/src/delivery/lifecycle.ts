import type { Clock } from './clock.js'

/** open: delivering. closing: the close deadline runs. stopped: nothing more is sent. */
export type LifeState = 'open' | 'closing' | 'stopped'

/** Why delivery stopped: everything went, the deadline passed, or another process took over. */
export type StopReason = 'drained' | 'deadline' | 'abandoned'

/**
 * The engine's lifecycle, in one state field: open, then closing from the first close signal
 * (the deadline starts there, whether the input has ended yet or not), then stopped (drained
 * after the input ended, the deadline passed, or abandoned). While closing, an interval keeps
 * the process (or worker) up: every other timer is unref'd, and delivery must go on.
 */
export class Lifecycle {
  readonly #clock: Clock
  readonly #closeTimeoutMs: number
  readonly #onDeadline: () => void
  #state: LifeState = 'open'
  #stopReason: StopReason | undefined
  #deadline: unknown
  #keepAlive: NodeJS.Timeout | undefined
  readonly #stopped: Promise<void>
  readonly #resolveStopped: () => void

  constructor(clock: Clock, closeTimeoutMs: number, onDeadline: () => void) {
    this.#clock = clock
    this.#closeTimeoutMs = closeTimeoutMs
    this.#onDeadline = onDeadline
    let resolveStopped!: () => void
    this.#stopped = new Promise((resolve) => {
      resolveStopped = resolve
    })
    this.#resolveStopped = resolveStopped
  }

  get state(): LifeState {
    return this.#state
  }

  get stopReason(): StopReason | undefined {
    return this.#stopReason
  }

  /** Resolves once stopped. */
  get stopped(): Promise<void> {
    return this.#stopped
  }

  /** Starts the close deadline; returns false if closing or stopped already. */
  beginClosing(): boolean {
    if (this.#state !== 'open') return false
    this.#state = 'closing'
    this.#keepAlive = setInterval(() => {}, 1000)
    this.#deadline = this.#clock.setTimeout(this.#onDeadline, this.#closeTimeoutMs)
    return true
  }

  /** Stops (once); returns false if stopped already. */
  stop(reason: StopReason): boolean {
    if (this.#state === 'stopped') return false
    this.#state = 'stopped'
    this.#stopReason = reason
    this.#clock.clearTimeout(this.#deadline)
    clearInterval(this.#keepAlive)
    this.#resolveStopped()
    return true
  }
}
