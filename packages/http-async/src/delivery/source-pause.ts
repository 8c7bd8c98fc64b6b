/**
 * Backpressure towards the source: asked for once half the buffer is taken while the endpoint
 * keeps up (a burst, not an outage), so the producer slows instead of overflow dropping
 * records; lifted once below half, when the endpoint fails (an outage: the buffer bound and
 * overflow decide, the application is never held up), or when closing begins.
 */
export class SourcePause {
  readonly #highWaterBytes: number
  #paused = false
  #resume: (() => void) | undefined

  constructor(maxBufferBytes: number) {
    this.#highWaterBytes = Math.floor(maxBufferBytes / 2)
  }

  get paused(): boolean {
    return this.#paused
  }

  /** Called when the source may go on after a pause. */
  onResume(resume: () => void): void {
    this.#resume = resume
  }

  /** A record was held: `bytes` are held now; `mayPause` while open and no retry waits. */
  held(bytes: number, mayPause: boolean): void {
    if (mayPause && bytes >= this.#highWaterBytes) this.#paused = true
  }

  /** Something freed room or changed the state: lift the pause if it no longer holds. */
  review(bytes: number, mustLift: boolean): void {
    if (!this.#paused || (bytes >= this.#highWaterBytes && !mustLift)) return
    this.#paused = false
    this.#resume?.()
  }
}
