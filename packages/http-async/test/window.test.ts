import t from 'tap'
import { AdaptiveWindow, type LoadSignal } from '../src/delivery/window.ts'

/**
 * One round trip of a busy sender: the window full (demand reached the limit, unless `idle`),
 * every request answered `rttMs` later with `signal`. Returns the time after it.
 */
function roundTrip(window: AdaptiveWindow, now: number, rttMs: number, signal: LoadSignal = 'ok', idle = false) {
  const requests = window.limit
  for (let i = 1; i <= requests; i++) window.sent(idle ? 0 : i)
  const end = now + rttMs
  for (let i = 0; i < requests; i++) window.answered(signal, rttMs, end)
  return end
}

t.test('starts at one request, doubles while demand reaches the limit and latency stays flat, up to max', async (t) => {
  const window = new AdaptiveWindow(8)
  const limits = [window.limit]
  let now = 0
  for (let i = 0; i < 6; i++) {
    now = roundTrip(window, now, 50)
    limits.push(window.limit)
  }
  t.same(limits, [1, 2, 4, 8, 8, 8, 8], 'a slow start: 8 in three round trips, never past max')
})

t.test('maxConcurrentRequests 1: one request at a time, always', async (t) => {
  const window = new AdaptiveWindow(1)
  let now = 0
  for (let i = 0; i < 5; i++) now = roundTrip(window, now, 20)
  t.equal(window.limit, 1)
})

t.test('no growth while the window is not the bottleneck', async (t) => {
  const window = new AdaptiveWindow(8)
  let now = 0
  for (let i = 0; i < 5; i++) now = roundTrip(window, now, 50, 'ok', true)
  t.equal(window.limit, 1)
})

t.test('a retryable failure halves the limit, once a round trip; then growth is by one', async (t) => {
  const window = new AdaptiveWindow(16)
  let now = 0
  for (let i = 0; i < 4; i++) now = roundTrip(window, now, 50)
  t.equal(window.limit, 16)
  now = roundTrip(window, now, 50, 'overloaded')
  t.equal(window.limit, 8, '16 answers of 503 in one round trip: halved once')
  const after: number[] = []
  for (let i = 0; i < 3; i++) {
    now = roundTrip(window, now, 50)
    after.push(window.limit)
  }
  t.same(after, [8, 9, 10], 'no growth in the round trip of the decrease, then by one')
  for (let i = 0; i < 6; i++) now = roundTrip(window, now, 50, 'overloaded')
  t.equal(window.limit, 1, 'an outage: one request at a time probes it')
  now = roundTrip(window, now, 50, 'overloaded')
  t.equal(window.limit, 1, 'never below one')
})

t.test('a clear rise in latency halves the limit; noise within the slack does not', async (t) => {
  const window = new AdaptiveWindow(8)
  let now = 0
  for (let i = 0; i < 4; i++) now = roundTrip(window, now, 50)
  t.equal(window.limit, 8)
  const noisy = [55, 48, 60, 52, 45]
  for (const rtt of noisy) now = roundTrip(window, now, rtt)
  t.equal(window.limit, 8, `round trips of ${noisy.join(', ')} ms around a 50 ms baseline`)
  // A period is judged once it is over: the answers that end it belong to it.
  now = roundTrip(window, now, 200)
  now = roundTrip(window, now, 200)
  t.equal(window.limit, 4, 'the endpoint queues: 200 ms against about 50')
})

t.test('answers that say nothing about load neither grow nor shrink the limit by themselves', async (t) => {
  const window = new AdaptiveWindow(8)
  let now = 0
  for (let i = 0; i < 3; i++) now = roundTrip(window, now, 50, 'neutral')
  t.equal(window.limit, 1)
})
