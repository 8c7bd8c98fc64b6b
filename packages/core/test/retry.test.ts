import t from 'tap'
import { backoffDelayMs, decideRetry, parseRetryAfterMs, retryDelayMs } from '../src/retry.ts'

const policy = { baseDelayMs: 100, maxDelayMs: 5000 }

t.test('backoff doubles, is capped and jittered over the full range', async (t) => {
  t.equal(
    backoffDelayMs(0, policy, () => 0.999),
    99,
  )
  t.equal(
    backoffDelayMs(3, policy, () => 0.5),
    400,
  )
  t.equal(
    backoffDelayMs(10, policy, () => 0.5),
    2500,
    'capped at maxDelayMs',
  )
  t.equal(
    backoffDelayMs(1000, policy, () => 0.5),
    2500,
    'huge attempts do not overflow',
  )
  t.equal(
    backoffDelayMs(2, policy, () => 0),
    0,
  )
  const d = backoffDelayMs(1, policy)
  t.ok(d >= 0 && d < 200)
})

t.test('Retry-After in seconds and as an HTTP date', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  t.equal(parseRetryAfterMs(undefined, now), undefined)
  t.equal(parseRetryAfterMs('3', now), 3000)
  t.equal(parseRetryAfterMs([' 2 '], now), 2000)
  t.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000)
  t.equal(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a past date means now')
  t.equal(parseRetryAfterMs('soon', now), undefined)
})

t.test('retryDelayMs prefers Retry-After, capped, else backoff', async (t) => {
  t.equal(retryDelayMs(0, policy, 2000), 2000)
  t.equal(retryDelayMs(0, policy, 60_000), 5000)
  t.equal(
    retryDelayMs(2, policy, undefined, () => 0.5),
    200,
  )
})

t.test(
  'decideRetry: delivered, dropped, retried with backoff or Retry-After, exhausted after maxRetries',
  async (t) => {
    const rules = { ...policy, maxRetries: 2 }
    const half = () => 0.5
    const unavailable = { kind: 'retry', reason: 'http-503' } as const
    t.same(decideRetry({ kind: 'delivered' }, 3, rules), { kind: 'delivered' })
    t.same(decideRetry({ kind: 'drop', reason: 'http-400' }, 0, rules), {
      kind: 'drop',
      reason: 'http-400',
      exhausted: false,
    })
    t.same(
      [0, 1].map((failed) => decideRetry(unavailable, failed, rules, half)),
      [
        { kind: 'retry', delayMs: 50 },
        { kind: 'retry', delayMs: 100 },
      ],
      'backoff from the failures before this one',
    )
    t.same(decideRetry({ ...unavailable, retryAfterMs: 3000 }, 0, rules, half), { kind: 'retry', delayMs: 3000 })
    t.same(decideRetry(unavailable, 2, rules, half), { kind: 'drop', reason: 'http-503', exhausted: true })
    t.same(decideRetry(unavailable, 1000, { ...policy, maxRetries: undefined }, half).kind, 'retry', 'no limit')
  },
)
