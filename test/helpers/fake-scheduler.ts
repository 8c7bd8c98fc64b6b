import type { Scheduler } from '../../packages/smtp-async/src/digest.ts'

/** A clock (core's Clock, with smtp-async's former `after`) and timers moved by hand. */
export function fakeScheduler() {
  let now = 0
  let timers: { at: number; fn: () => void; live: boolean }[] = []
  const scheduler: Scheduler = {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { at: now + ms, fn, live: true }
      timers.push(timer)
      return timer
    },
    clearTimeout(handle) {
      ;(handle as { live: boolean }).live = false
    },
    after(ms, fn) {
      const timer = scheduler.setTimeout(fn, ms)
      return () => scheduler.clearTimeout(timer)
    },
  }
  const advance = (ms: number) => {
    const until = now + ms
    for (;;) {
      const next = timers.filter((x) => x.live && x.at <= until).sort((a, b) => a.at - b.at)[0]
      if (!next) break
      now = next.at
      next.live = false
      next.fn()
    }
    timers = timers.filter((x) => x.live)
    now = until
  }
  return { scheduler, advance, pendingTimers: () => timers.filter((x) => x.live).length }
}
