import t from 'tap'
import { planDestinations } from '../src/plan.ts'
import { resolveLoggerOptions } from '../src/resolve-options.ts'

const handlers = { smtp_handler: { async: true }, http_handler: { async: false, level: 'debug' } }

t.test('use_queue: every destination runs in the worker', async (t) => {
  const plan = planDestinations(resolveLoggerOptions({ use_queue: true, file: '/tmp/x.log', ...handlers }))
  t.same(
    plan.map((d) => [d.id, d.thread, d.level, d.buffered]),
    [
      ['console', 'worker', 30, false],
      ['file', 'worker', 30, false],
      ['http', 'worker', 30, false],
      ['smtp', 'worker', 50, false],
    ],
  )
})

t.test('without the queue: console and file on the main thread, handlers by their async flag', async (t) => {
  const plan = planDestinations(resolveLoggerOptions({ file: '/tmp/x.log', use_memory_handler: true, ...handlers }))
  t.same(
    plan.map((d) => [d.id, d.thread, d.buffered]),
    [
      ['console', 'main', true],
      ['file', 'main', true],
      ['http', 'main', true],
      ['smtp', 'worker', true],
    ],
  )
})

t.test('console off and no file: only the handlers, or nothing', async (t) => {
  t.same(planDestinations(resolveLoggerOptions({ console: false })), [])
})
