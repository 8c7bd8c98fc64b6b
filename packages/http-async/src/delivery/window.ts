/** What an answer says about the endpoint's load. */
export type LoadSignal =
  /** Delivered: its round trip is a latency sample. */
  | 'ok'
  /** A retryable failure (429, 503, other 5xx, a timeout, a connection error): back off. */
  | 'overloaded'
  /** An answer that says nothing about load (a 400, say). */
  | 'neutral'

// Weight of the newest period in the latency baseline and its deviation.
const EWMA_ALPHA = 0.4
// A period's mean round trip is a clear rise past baseline + the largest of these.
const RISE_DEVIATIONS = 2.5
const RISE_FRACTION = 0.5
const RISE_FLOOR_MS = 1

/**
 * How many requests may be in flight at once, adapted within 1..max from what the endpoint
 * shows, in the spirit of Vector's adaptive request concurrency (additive increase,
 * multiplicative decrease, judged once per round trip):
 *
 * - Time is cut into periods one baseline round trip long; at the end of each, the period's
 *   mean round trip is compared with the baseline (an exponentially weighted mean of earlier
 *   periods, with its mean deviation).
 * - The limit grows when demand reached it during the period (it was the bottleneck) and
 *   latency stayed flat: doubling until the first decrease (a slow start, so a 200 ms endpoint
 *   reaches 8 in three round trips), by one afterwards.
 * - It halves, at most once a period, on a retryable failure (the endpoint is overloaded or
 *   gone: one request at a time probes it) or a clear rise in latency (the endpoint queues).
 *
 * Pure: the caller says when requests start and end; the clock is its `now`.
 */
export class AdaptiveWindow {
  readonly max: number
  #limit = 1
  #slowStart = true
  #baselineMs: number | undefined
  #deviationMs = 0
  #periodEndsAt = Number.NEGATIVE_INFINITY
  #sumMs = 0
  #samples = 0
  /** Demand reached the limit during the period. */
  #limited = false
  #decreased = false

  constructor(max: number) {
    this.max = max
  }

  get limit(): number {
    return this.#limit
  }

  /** A request starts; `inFlight` counts it (with the requests waiting to be retried). */
  sent(inFlight: number): void {
    if (inFlight >= this.#limit) this.#limited = true
  }

  /** A request ended after `rttMs`. */
  answered(signal: LoadSignal, rttMs: number, now: number): void {
    if (signal === 'ok') {
      this.#sumMs += rttMs
      this.#samples++
      if (now >= this.#periodEndsAt) this.#endPeriod(now)
      return
    }
    // A decrease counts in the period that is running once this answer has ended the last.
    if (now >= this.#periodEndsAt) this.#endPeriod(now)
    if (signal === 'overloaded') this.#decrease()
  }

  #decrease(): void {
    if (this.#decreased) return
    this.#decreased = true
    this.#slowStart = false
    this.#limit = Math.max(1, Math.floor(this.#limit / 2))
  }

  #endPeriod(now: number): void {
    // Only failures answered (an outage): nothing to judge latency by.
    if (this.#samples > 0) this.#judge(this.#sumMs / this.#samples)
    this.#periodEndsAt = now + (this.#baselineMs ?? 0)
    this.#sumMs = 0
    this.#samples = 0
    this.#limited = false
    this.#decreased = false
  }

  #judge(meanMs: number): void {
    const baseline = this.#baselineMs
    if (baseline !== undefined && meanMs > baseline + this.#slackMs(baseline)) this.#decrease()
    else if (this.#limited && !this.#decreased && this.#limit < this.max) {
      this.#limit = Math.min(this.max, this.#slowStart ? this.#limit * 2 : this.#limit + 1)
    }
    if (baseline === undefined) this.#baselineMs = meanMs
    else {
      this.#deviationMs += EWMA_ALPHA * (Math.abs(meanMs - baseline) - this.#deviationMs)
      this.#baselineMs = baseline + EWMA_ALPHA * (meanMs - baseline)
    }
  }

  #slackMs(baseline: number): number {
    return Math.max(RISE_DEVIATIONS * this.#deviationMs, RISE_FRACTION * baseline, RISE_FLOOR_MS)
  }
}
