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

t.test("Python's Logger API: exception, log, setLevel, isEnabledFor, on the logger and its children", async (t) => {
  const { lines, logger } = capture()
  const child = logger.child({ request: 1 }) as typeof logger
  const err = new TypeError('bad input')
  logger.exception(err, 'while parsing')
  child.exception(err)
  logger.exception('no error at hand')
  logger.exception({ code: 'E1' }, 'not an Error')
  logger.exception({ code: 'E2' })
  logger.log('WARNING', 'python name')
  child.log(50, { n: 1 }, 'pino number')
  logger.log(35, 'between levels: the one below')
  t.same(
    lines.map((l) => [
      l.level,
      l.msg,
      (l.err as { type?: string; code?: string } | undefined)?.type ?? (l.err as { code?: string } | undefined)?.code,
      l.request,
    ]),
    [
      [50, 'while parsing', 'TypeError', undefined],
      [50, 'bad input', 'TypeError', 1],
      [50, 'no error at hand', undefined, undefined],
      [50, 'not an Error', 'E1', undefined],
      [50, undefined, 'E2', undefined],
      [40, 'python name', undefined, undefined],
      [50, 'pino number', undefined, 1],
      [30, 'between levels: the one below', undefined, undefined],
    ],
  )
  t.match(lines[0]?.err, { stack: /TypeError: bad input\n\s+at / }, 'with the stack')

  child.setLevel('ERROR')
  t.same([child.isEnabledFor('warning'), child.isEnabledFor(50), logger.isEnabledFor('info')], [false, true, true])
  t.equal(logger.level, 'info', "setLevel on a child leaves its parent's level")
  logger.setLevel(45)
  t.same([logger.level, logger.isEnabledFor(45), logger.isEnabledFor('debug')], ['warn', true, false])
  t.throws(() => logger.log('loud', 'x'), { code: 'PA_INVALID_OPTION', message: /^log\(level\): received "loud"/ })
})

t.test("log and setLevel take the logger's custom levels", async (t) => {
  const lines: Record<string, unknown>[] = []
  const stream = { write: (l: string) => lines.push(JSON.parse(l)) }
  const logger = addPythonAliases(pino({ level: 'info', customLevels: { audit: 35 } }, stream))
  logger.log('audit', 'who did what')
  logger.setLevel('audit')
  logger.info('dropped')
  t.same(
    lines.map((l) => [l.level, l.msg]),
    [[35, 'who did what']],
  )
  t.same([logger.level, logger.isEnabledFor('audit')], ['audit', true])
})
