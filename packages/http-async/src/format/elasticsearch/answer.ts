import { DELIVERED, RETRYABLE_STATUSES, type RetryOutcome, type SendOutcome } from '../../outcome.js'

/**
 * What a 2xx `_bulk` answer says of each document:
 * `{ took, errors, items: [ { "<op>": { status, error: { type, reason } } } ] }`, one item per
 * action, in order. `errors: false` (almost every answer) is told from the first bytes, and
 * nothing more is read. Otherwise item by item:
 * - 2xx: delivered; 409 too (a `create` whose id exists: only an ingest pipeline setting `_id`
 *   can give one, and the document is then already there);
 * - a status the design retries (429 es_rejected_execution_exception, 500, 502, 503, 504,
 *   408): retried, only those documents, under `es-<status>`;
 * - any other (400 mapper_parsing_exception, 403 cluster_block_exception, 404
 *   index_not_found_exception...): dropped, counted under `es-<status>`, the first such
 *   item's error type and reason in the message.
 * Reasons are counter keys: built from the status (a bounded set), never from the error text.
 * An answer that cannot be read so (not JSON, no items, not one item per document, as from
 * a proxy) counts as delivered: it is a 2xx, and sending again could index twice.
 */
export function readBulkAnswer(body: Buffer, count: number): SendOutcome {
  if (body.subarray(0, HEAD_BYTES).indexOf(NO_ERRORS) !== -1) return DELIVERED
  const statuses = new Array<number>(count)
  const errors = new Array<unknown>(count)
  if (!readItems(body, count, statuses, errors)) return DELIVERED
  let delivered = 0
  const dropped = new Map<number, { count: number; first: number }>()
  const retry: number[] = []
  for (let i = 0; i < count; i++) {
    const status = statuses[i] as number
    if ((status >= 200 && status < 300) || status === 409) delivered++
    else if (RETRYABLE_STATUSES.has(status)) retry.push(i)
    else {
      const group = dropped.get(status)
      if (group === undefined) dropped.set(status, { count: 1, first: i })
      else group.count++
    }
  }
  if (delivered === count) return DELIVERED
  const drops = [...dropped].map(([status, group]) => ({
    reason: `es-${status}`,
    count: group.count,
    message: `the bulk API refused ${group.count} of ${count} documents with ${status}${said(errors[group.first])}`,
  }))
  if (retry.length === 0) return { kind: 'partial', drops }
  const status = statuses[retry[0] as number] as number
  const outcome: RetryOutcome = {
    kind: 'retry',
    reason: `es-${status}`,
    message: `the bulk API refused ${retry.length} of ${count} documents for now with ${status}${said(errors[retry[0] as number])}`,
  }
  return { kind: 'partial', drops, retry: { indices: retry, outcome } }
}

// `{"took":12,"errors":false,` or `{"errors":false,"took":12,` (the order varies by version),
// `ingest_took` perhaps: within the first bytes, before `items` and anything nested.
const HEAD_BYTES = 96
const NO_ERRORS = Buffer.from('"errors":false')
// Error reasons quote the document (ES 8: "Preview of field's value"): a bounded excerpt.
const MAX_REASON_CHARS = 200

/** Fills statuses and errors from the answer; false when it is no bulk answer for `count`. */
function readItems(body: Buffer, count: number, statuses: number[], errors: unknown[]): boolean {
  let answer: unknown
  try {
    answer = JSON.parse(body.toString('utf8'))
  } catch {
    return false
  }
  if (typeof answer !== 'object' || answer === null) return false
  const { errors: failed, items } = answer as { errors?: unknown; items?: unknown }
  if (failed !== true || !Array.isArray(items) || items.length !== count) return false
  for (let i = 0; i < count; i++) {
    const result = firstValue(items[i])
    const status = (result as { status?: unknown } | undefined)?.status
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return false
    statuses[i] = status
    errors[i] = (result as { error?: unknown }).error
  }
  return true
}

/** An item is `{ "<op>": result }`: its one value. */
function firstValue(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return undefined
  for (const key in item) return (item as Record<string, unknown>)[key]
  return undefined
}

/** ` (type: reason)` of an item's error, on one line and bounded; '' when it has none. */
function said(error: unknown): string {
  const { type, reason } = (typeof error === 'object' && error !== null ? error : {}) as {
    type?: unknown
    reason?: unknown
  }
  const parts = [type, reason].filter((p): p is string => typeof p === 'string' && p !== '')
  if (parts.length === 0) return ''
  const text = parts.join(': ').replace(/\s+/g, ' ')
  return ` (${text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}...` : text})`
}
