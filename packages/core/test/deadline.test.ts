import t from 'tap'
import { once, settleWithin } from '../src/deadline.ts'

t.test('settleWithin returns the value when the work finishes first', async (t) => {
  t.same(await settleWithin(Promise.resolve(42), 1000), { done: true, value: 42 })
})

t.test('settleWithin gives up at the deadline without waiting for the work', async (t) => {
  const never = new Promise<number>(() => {})
  // The deadline timer is unref'd (a close must not hold the process open): keep it alive here.
  const alive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(alive))
  const started = Date.now()
  t.same(await settleWithin(never, 20), { done: false })
  t.ok(Date.now() - started < 1000)
})

t.test('settleWithin passes a failure on', async (t) => {
  await t.rejects(settleWithin(Promise.reject(new Error('boom')), 1000), { message: 'boom' })
})

t.test('once runs the close once and hands every caller the same promise', async (t) => {
  let runs = 0
  const close = once(async () => ++runs)
  const a = close()
  const b = close()
  t.equal(a, b)
  t.equal(await a, 1)
  t.equal(await close(), 1)
  t.equal(runs, 1)
})
