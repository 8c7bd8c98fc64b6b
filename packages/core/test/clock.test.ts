import t from 'tap'
import { after, SYSTEM_CLOCK } from '../src/clock.ts'

// The clock's timers are unref'd: this one keeps the process up while they run.
const keepAlive = setInterval(() => {}, 1000)
t.teardown(() => clearInterval(keepAlive))

t.test('SYSTEM_CLOCK: the time now, unref timers that fire and clear', async (t) => {
  t.ok(Math.abs(SYSTEM_CLOCK.now() - Date.now()) < 1000)
  const timer = SYSTEM_CLOCK.setTimeout(() => t.fail('cleared'), 5) as NodeJS.Timeout
  t.equal(timer.hasRef(), false, 'does not keep the process up')
  SYSTEM_CLOCK.clearTimeout(timer)
  await new Promise<void>((resolve) => SYSTEM_CLOCK.setTimeout(resolve, 5))
})

t.test('after: fires once, or never once cancelled', async (t) => {
  const fired: string[] = []
  after(SYSTEM_CLOCK, 1, () => fired.push('kept'))
  const cancel = after(SYSTEM_CLOCK, 1, () => fired.push('cancelled'))
  cancel()
  await new Promise<void>((resolve) => after(SYSTEM_CLOCK, 15, resolve))
  t.same(fired, ['kept'])
})
