import pino from 'pino'
import t from 'tap'
import { addPythonAliases } from '../src/aliases.ts'

function capture() {
  const lines: Record<string, unknown>[] = []
  const stream = { write: (l: string) => lines.push(JSON.parse(l)) }
  return { lines, logger: addPythonAliases(pino({ level: 'info' }, stream)) }
}

t.test('critical is fatal (60) and warning is warn (40), on the logger and its children', async (t) => {
  const { lines, logger } = capture()
  logger.critical('boom')
  logger.warning('careful')
  const child = logger.child({ request: 1 }) as typeof logger
  child.critical('child boom')
  child.warning({ n: 2 }, 'child careful')
  t.same(
    lines.map((l) => [l.level, l.msg, l.request]),
    [
      [60, 'boom', undefined],
      [40, 'careful', undefined],
      [60, 'child boom', 1],
      [40, 'child careful', 1],
    ],
  )
})

t.test('the aliases follow level changes', async (t) => {
  const { lines, logger } = capture()
  logger.level = 'error'
  logger.warning('dropped')
  logger.critical('kept')
  t.same(
    lines.map((l) => l.msg),
    ['kept'],
  )
})
