export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  readonly baseDelayMs: number
  /** No wait, computed or asked for by Retry-After, is longer than this. */
  readonly maxDelayMs: number
}

/**
 * Capped exponential backoff with full jitter (a uniform wait in [0, min(max, base * 2^n)]),
 * which spreads retries of many clients after a shared outage. `attempt` counts from 0.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}

/**
 * The wait a Retry-After header asks for, in ms: delay-seconds or an HTTP date. Undefined when
 * absent or unreadable; never negative.
 */
export function parseRetryAfterMs(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value) as string | undefined
  if (raw === undefined) return undefined
  const text = raw.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/** The wait before retry `attempt`: the server's Retry-After when given, else backoff; capped. */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs)
  return backoffDelayMs(attempt, policy, random)
}

/** What one attempt came to, as far as retrying is concerned. */
export type AttemptOutcome =
  | { readonly kind: 'delivered' }
  /** Worth another attempt; `retryAfterMs` when the server said how long to wait. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** Never worth another attempt (the same request would get the same answer). */
  | { readonly kind: 'drop'; readonly reason: string }

export interface RetryRules extends BackoffPolicy {
  /** Retries after the first attempt before giving up; undefined: no limit. */
  readonly maxRetries: number | undefined
}

export type RetryDecision =
  | { readonly kind: 'delivered' }
  /** `exhausted`: the attempt was worth retrying, but `maxRetries` retries were made already. */
  | { readonly kind: 'drop'; readonly reason: string; readonly exhausted: boolean }
  | { readonly kind: 'retry'; readonly delayMs: number }

/**
 * The retry policy, apart from its mechanics (timers, what is resent): what to do after an
 * attempt, given how many failed before it (`failedBefore`, 0 for the first attempt).
 */
export function decideRetry(
  outcome: AttemptOutcome,
  failedBefore: number,
  rules: RetryRules,
  random: () => number = Math.random,
): RetryDecision {
  if (outcome.kind === 'delivered') return outcome
  if (outcome.kind === 'drop') return { kind: 'drop', reason: outcome.reason, exhausted: false }
  if (rules.maxRetries !== undefined && failedBefore >= rules.maxRetries) {
    return { kind: 'drop', reason: outcome.reason, exhausted: true }
  }
  return { kind: 'retry', delayMs: retryDelayMs(failedBefore, rules, outcome.retryAfterMs, random) }
}
