import t from 'tap'
import { type FlushTimers, FlushWaiters } from '../src/flush-waiters.ts'

/** Timers the test fires by hand: `fire(ms)` runs every live timer set for that many ms. */
function fakeTimers() {
  let next = 1
  const live = new Map<number, { fn: () => void; ms: number }>()
  const timers: FlushTimers = {
    setTimeout(fn, ms) {
      const id = next++
      live.set(id, { fn, ms })
      return id
    },
    clearTimeout(handle) {
      live.delete(handle as number)
    },
  }
  const fire = (ms: number) => {
    for (const [id, timer] of [...live]) {
      if (timer.ms !== ms) continue
      live.delete(id)
      timer.fn()
    }
  }
  return { timers, live, fire }
}

/** Lets promise callbacks run. */
const tick = () => new Promise((resolve) => setImmediate(resolve))

/** A promise's outcome so far: 'pending', or what it resolved with. */
function track<T>(promise: Promise<T>): { value: T | 'pending' } {
  const state: { value: T | 'pending' } = { value: 'pending' }
  void promise.then((v) => {
    state.value = v
  })
  return state
}

t.test('a flush is done once the front reaches its mark, not before', async (t) => {
  const { timers, live } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  t.equal(waiters.pending, false)
  const done = track(waiters.add(5, 1000))
  t.equal(waiters.pending, true)
  waiters.review(4)
  await tick()
  t.equal(done.value, 'pending', 'one record before the mark is still held')
  waiters.review(5)
  await tick()
  t.equal(done.value, true)
  t.equal(waiters.pending, false)
  t.equal(live.size, 0, 'its deadline timer is cleared')
})

t.test('several flushes end each at their own mark; a front past a mark ends it too', async (t) => {
  const { timers, live } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  const first = track(waiters.add(2, 1000))
  const second = track(waiters.add(6, 1000))
  const third = track(waiters.add(10, 1000))
  waiters.review(3)
  await tick()
  t.same([first.value, second.value, third.value], [true, 'pending', 'pending'])
  t.equal(waiters.pending, true)
  waiters.review(50)
  await tick()
  t.same([first.value, second.value, third.value], [true, true, true])
  t.equal(live.size, 0)
  t.equal(waiters.pending, false)
})

t.test('at its deadline a flush ends not complete; the others wait on', async (t) => {
  const { timers, live, fire } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  const short = track(waiters.add(5, 100))
  const long = track(waiters.add(5, 900))
  fire(100)
  await tick()
  t.same([short.value, long.value], [false, 'pending'])
  t.equal(waiters.pending, true)
  waiters.review(5)
  await tick()
  t.same([short.value, long.value], [false, true], 'the timed-out flush is not reviewed again')
  t.equal(live.size, 0)
})

t.test('stopAll ends every flush: complete iff its mark was reached', async (t) => {
  const { timers, live } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  const reached = track(waiters.add(3, 1000))
  const exact = track(waiters.add(4, 1000))
  const missed = track(waiters.add(8, 1000))
  waiters.stopAll(4)
  await tick()
  t.same([reached.value, exact.value, missed.value], [true, true, false])
  t.equal(waiters.pending, false)
  t.equal(live.size, 0)
  waiters.stopAll(0)
  waiters.review(100)
  t.pass('with none waiting, stopAll and review do nothing')
})

t.test('while any flush waits an interval keeps the process up; it is cleared after', async (t) => {
  const { timers, fire } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const before = handles()
  const a = waiters.add(1, 100)
  const b = waiters.add(2, 200)
  t.equal(handles(), before + 1, 'one interval, however many wait')
  waiters.review(1)
  await a
  t.equal(handles(), before + 1, 'still one waits')
  fire(200)
  t.equal(await b, false)
  t.equal(handles(), before, 'the last one ended: cleared')
  const c = waiters.add(3, 100)
  t.equal(handles(), before + 1, 'set again for a new flush')
  waiters.stopAll(3)
  t.equal(await c, true)
  t.equal(handles(), before)
})

t.test('the system timers: a tiny deadline ends the flush, and the timer does not hold the process', async (t) => {
  const waiters = new FlushWaiters()
  const started = Date.now()
  const done = waiters.add(1, 5)
  t.equal(await done, false, 'nothing reached the mark: not complete at the deadline')
  t.ok(Date.now() - started >= 4, 'not before its deadline')
  t.equal(waiters.pending, false)
  const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const before = handles()
  const reviewed = waiters.add(1, 60_000)
  t.equal(handles(), before + 1, 'only the keep-alive interval holds the process: the deadline timer is unref-ed')
  waiters.review(1)
  t.equal(await reviewed, true, 'done before a long deadline, whose timer is cleared')
})

t.test('skip: records dropped before they took a position shorten the wait of the flushes counting them', async (t) => {
  const { timers } = fakeTimers()
  const waiters = new FlushWaiters(timers)
  // The queue's end is at 10; the first flush also counts 5 records waiting outside it (10..14),
  // the second only what was held (mark 8).
  const outside = track(waiters.add(15, 1000))
  const held = track(waiters.add(8, 1000))
  waiters.skip(3, 10)
  waiters.review(12)
  await tick()
  t.same([outside.value, held.value], [true, true], '3 of the 5 outside were dropped: 12 is enough')
  const later = track(waiters.add(20, 1000))
  waiters.skip(50, 18)
  waiters.review(18)
  await tick()
  t.equal(later.value, true, 'a skip never takes a mark below the end')
})
