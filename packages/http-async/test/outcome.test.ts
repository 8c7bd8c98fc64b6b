import t from 'tap'
import { classifyError, classifyStatus, RETRYABLE_STATUSES, TOO_LARGE_REASON, timeoutOutcome } from '../src/outcome.ts'

const now = Date.parse('2026-01-01T00:00:00Z')

// The retry classification table, one test per row.
const table: [number, 'delivered' | 'retry' | 'drop'][] = [
  [200, 'delivered'],
  [201, 'delivered'],
  [202, 'delivered'],
  [204, 'delivered'],
  [301, 'drop'],
  [304, 'drop'],
  [400, 'drop'],
  [401, 'drop'],
  [403, 'drop'],
  [404, 'drop'],
  [405, 'drop'],
  [408, 'retry'],
  [409, 'drop'],
  [413, 'drop'],
  [422, 'drop'],
  [429, 'retry'],
  [500, 'retry'],
  [501, 'drop'],
  [502, 'retry'],
  [503, 'retry'],
  [504, 'retry'],
  [505, 'drop'],
]

for (const [status, kind] of table) {
  t.test(`status ${status}: ${kind}`, async (t) => {
    const outcome = classifyStatus(status, undefined, now)
    t.equal(outcome.kind, kind)
    if (outcome.kind !== 'delivered') t.equal(outcome.reason, `http-${status}`, 'counted under its status')
  })
}

t.test('the retryable set is exactly the design’s', async (t) => {
  t.same([...RETRYABLE_STATUSES].sort(), [408, 429, 500, 502, 503, 504])
})

t.test('Retry-After in seconds', async (t) => {
  t.match(classifyStatus(429, '7', now), { kind: 'retry', retryAfterMs: 7000, message: /429 \(Retry-After 7000 ms\)/ })
})

t.test('Retry-After as an HTTP date', async (t) => {
  t.match(classifyStatus(503, 'Thu, 01 Jan 2026 00:00:03 GMT', now), { kind: 'retry', retryAfterMs: 3000 })
})

t.test('unreadable Retry-After means backoff', async (t) => {
  const outcome = classifyStatus(503, 'later', now)
  t.notOk('retryAfterMs' in outcome)
})

for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EPIPE']) {
  t.test(`connection error ${code}: retry`, async (t) => {
    t.match(classifyError(Object.assign(new Error('x'), { code })), {
      kind: 'retry',
      reason: 'connection-error',
      message: `connection error (${code})`,
    })
  })
}

t.test('an error without a code is a connection error, named by its message', async (t) => {
  t.match(classifyError(new Error('other side closed')), { kind: 'retry', message: /other side closed/ })
  t.match(classifyError('weird'), { kind: 'retry', message: /weird/ })
  t.match(classifyError(undefined), { kind: 'retry', message: /undefined/ })
})

t.test('a request the client refuses: dropped, never retried', async (t) => {
  t.match(classifyError(Object.assign(new Error('bad'), { code: 'UND_ERR_INVALID_ARG' })), {
    kind: 'drop',
    reason: 'request-invalid',
  })
})

t.test('timeout: retry', async (t) => {
  t.match(timeoutOutcome(250), { kind: 'retry', reason: 'timeout', message: 'no answer within timeoutMs (250 ms)' })
})

t.test('what the endpoint said ends the message, for a drop and for a retry', async (t) => {
  t.match(classifyStatus(404, undefined, now, "Code: 60. Unknown table 'logs'"), {
    kind: 'drop',
    reason: 'http-404',
    message: "the endpoint answered 404: Code: 60. Unknown table 'logs'",
  })
  t.match(classifyStatus(429, '7', now, 'slow down'), {
    kind: 'retry',
    message: 'the endpoint answered 429 (Retry-After 7000 ms): slow down',
  })
  t.equal((classifyStatus(400, undefined, now, '') as { message: string }).message, 'the endpoint answered 400')
})

t.test('a 413 is counted under the reason the engine splits on', async (t) => {
  t.match(classifyStatus(413, undefined, now), { kind: 'drop', reason: TOO_LARGE_REASON })
})
