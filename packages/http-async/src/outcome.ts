import { DROP_REASONS, parseRetryAfterMs } from '@pino-advanced/core'

/** Worth another attempt: `retryAfterMs` when the server said how long to wait. */
export interface RetryOutcome {
  readonly kind: 'retry'
  readonly reason: string
  readonly message: string
  readonly retryAfterMs?: number
}

/** Never worth another attempt: dropped and counted under `reason`. */
export interface DropOutcome {
  readonly kind: 'drop'
  readonly reason: string
  readonly message: string
}

/**
 * An answer record by record (a bulk API's items, OTLP's partial success): `drops` were refused
 * for good (counted under their reasons), the records at `retry.indices` (ascending positions
 * in the batch) go again on their own, and every other record of the batch was delivered (so
 * the parts always sum to the batch).
 */
export interface PartialOutcome {
  readonly kind: 'partial'
  readonly drops: readonly { readonly reason: string; readonly count: number; readonly message: string }[]
  readonly retry?: { readonly indices: readonly number[]; readonly outcome: RetryOutcome }
}

/** What one delivery attempt came to, as the delivery loop needs it. */
export type SendOutcome = { readonly kind: 'delivered' } | RetryOutcome | DropOutcome | PartialOutcome

export const DELIVERED: { readonly kind: 'delivered' } = Object.freeze({ kind: 'delivered' })

/** Statuses that say "try again later": the design's retryable set. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** Drop and retry reasons that are not a status (`http-400` and the like are built from it). */
export const Reasons = Object.freeze({
  TIMEOUT: DROP_REASONS.timeout.name,
  CONNECTION: DROP_REASONS.connectionError.name,
  /** Sending threw before any answer (a bug in a format's sender, say): retried. */
  SEND_ERROR: DROP_REASONS.sendError.name,
  REQUEST_INVALID: DROP_REASONS.requestInvalid.name,
  RETRIES_EXHAUSTED: DROP_REASONS.retriesExhausted.name,
  CLOSE_TIMEOUT: DROP_REASONS.closeTimeout.name,
  CLOSED: DROP_REASONS.closed.name,
  /** In `json` format, a line that is not a JSON object would make the whole array invalid. */
  NOT_JSON: DROP_REASONS.notJson.name,
  /** The durable spool went past spool.maxBytes: its oldest records not yet read were deleted. */
  SPOOL_FULL: DROP_REASONS.spoolFull.name,
  /** The spool failed (a disk error): records it held unread stay on disk for the next start. */
  SPOOL_ERROR: DROP_REASONS.spoolError.name,
})

/** A 413's reason: the engine splits such a batch in halves rather than drop it (see engine.ts). */
export const TOO_LARGE_REASON = 'http-413'

/**
 * A response's status: 2xx delivered; the retryable set retried, honouring Retry-After
 * (seconds or an HTTP date); anything else (3xx, 4xx, 501, 505...) dropped, counted under
 * `http-<status>`, never retried: sending the same batch again would get the same answer.
 * `said`, the start of the answer's body on one line, ends the message ("...answered 404:
 * Unknown table"), so that a user sees why. A protocol with rules of its own (OTLP retries
 * only 429, 502, 503 and 504) passes its `retryable` set.
 */
export function classifyStatus(
  status: number,
  retryAfter: string | readonly string[] | undefined,
  nowMs: number,
  said = '',
  retryable: ReadonlySet<number> = RETRYABLE_STATUSES,
): Exclude<SendOutcome, PartialOutcome> {
  if (status >= 200 && status < 300) return DELIVERED
  const reason = `http-${status}`
  const saying = said === '' ? '' : `: ${said}`
  if (!retryable.has(status)) {
    return { kind: 'drop', reason, message: `the endpoint answered ${status}${saying}` }
  }
  const retryAfterMs = parseRetryAfterMs(retryAfter, nowMs)
  const message = `the endpoint answered ${status}${retryAfterMs === undefined ? '' : ` (Retry-After ${retryAfterMs} ms)`}${saying}`
  return retryAfterMs === undefined
    ? { kind: 'retry', reason, message }
    : { kind: 'retry', reason, message, retryAfterMs }
}

// Errors the HTTP client raises for a request it cannot make at all: retrying cannot help.
const INVALID_REQUEST_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
])

/**
 * An error instead of a response. Connection failures (refused, reset, DNS, TLS) are retried:
 * the endpoint may come back. A request the client refuses to make is dropped.
 */
export function classifyError(err: unknown): SendOutcome {
  const code = (err as { code?: unknown } | undefined)?.code
  const text = typeof code === 'string' ? code : ((err as Error | undefined)?.message ?? String(err))
  if (typeof code === 'string' && INVALID_REQUEST_CODES.has(code)) {
    return { kind: 'drop', reason: Reasons.REQUEST_INVALID, message: `the HTTP client refused the request (${text})` }
  }
  return { kind: 'retry', reason: Reasons.CONNECTION, message: `connection error (${text})` }
}

/** The request got no complete answer within `timeoutMs`. */
export function timeoutOutcome(timeoutMs: number): SendOutcome {
  return { kind: 'retry', reason: Reasons.TIMEOUT, message: `no answer within timeoutMs (${timeoutMs} ms)` }
}
