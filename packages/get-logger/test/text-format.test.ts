// formatter: 'color' (pino-pretty) and Python's %-style fmt, unit by unit and through getLogger.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, runScript, tempDir } from '../../../test/helpers/child.ts'
import { formatChunk, lineFormatter } from '../src/format/line-format.ts'
import { compilePercentFormat } from '../src/format/percent-format.ts'
import { resolveLoggerOptions } from '../src/resolve-options.ts'

const time = new Date(2026, 11, 3, 14, 5, 9, 42).getTime() // local time, as asctime prints it
const record = { level: 40, time, pid: 4242, hostname: 'web-1', name: 'api', msg: 'slow', user: 7, ms: 12.5, neg: -3 }

t.test("Python's fields and conversions", async (t) => {
  const cases: [string, string][] = [
    ['%(asctime)s [%(levelname)s] %(name)s: %(message)s', '2026-12-03 14:05:09,042 [WARNING] api: slow'],
    ['%(levelname)-8s|%(levelno)d|%(process)d|%(hostname)s', 'WARNING |30|4242|web-1'],
    ['%(msecs)03d %(created).1f %(user)5d %(ms)08.3f %(ms)+.0f', `042 ${(time / 1000).toFixed(1)}     7 0012.500 +13`],
    ['%(message).2s %(user)r %(nope)r %(ms)f 100%%', 'sl 7 None 12.500000 100%'],
    ['%(processName)s %(threadName)s %(thread)d %(user) 4d %(user)-4d|', 'MainProcess MainThread 0    7 7   |'],
    ['%(user)i|%(neg)05d|%(neg)+d', '7|-0003|-3'],
  ]
  const known = new Set(['user', 'ms', 'nope', 'neg'])
  const wrong = cases
    .map(([fmt, want]) => [fmt, compilePercentFormat('fmt', fmt, known)(record), want])
    .filter(([, got, want]) => got !== want)
  t.same(wrong, [])
  const other = compilePercentFormat('fmt', '%(name)s %(levelname)s %(user)s %(message)s', known)
  t.same(
    [
      other({ level: 60, msg: 'down', err: { stack: 'Error: down\n    at x' } }),
      other({ level: 35, time: '2026-12-03T14:05:09Z' }),
      other({ time: 'yesterday' }),
      other({ level: 'audit', user: { id: 1 }, err: { stack: 'Error: y' } }),
    ],
    [
      'root CRITICAL None down\nError: down\n    at x',
      'root Level 25 None ',
      'root INFO None ',
      'root AUDIT {"id":1} Error: y',
    ],
    "no name is Python's root; the stack follows the message; a custom level by number or label",
  )
  const msecs = compilePercentFormat('fmt', '%(msecs)d', known)
  t.same(
    [msecs({ time: '2026-12-03T14:05:09.250Z' }), /^\d+$/.test(msecs({ time: 'bad' })), /^\d+$/.test(msecs({}))],
    ['250', true, true],
    "an ISO time (pino's isoTime) is read; no time or a bad one: now",
  )
})

t.test('fmt: an unknown field, a call-site field or a lone % is a ConfigError naming fmt', async (t) => {
  const problems: string[] = []
  const cases: [string, RegExp][] = [
    ['%(nope)s', /^fmt: %\(nope\) is not a field here: expected one of asctime, name, msg, levelname/],
    ['%(lineno)d', /pino records no call site/],
    ['50% done', /a lone '%' at 2/],
  ]
  for (const [fmt, message] of cases) {
    try {
      resolveLoggerOptions({ fmt })
      problems.push(`${fmt}: accepted`)
    } catch (err) {
      const e = err as { option?: string; code?: string; message: string }
      if (e.option !== 'fmt' || e.code !== 'PA_INVALID_OPTION' || !message.test(e.message)) problems.push(e.message)
    }
  }
  t.same(problems, [])
  t.equal(
    resolveLoggerOptions({ fmt: '%(request_id)s', context: { request_id: 'r' } }).fmt,
    '%(request_id)s',
    'context keys are fields',
  )
  t.throws(() => resolveLoggerOptions({ formatter: 'pretty' }), { option: 'formatter', message: /'json', 'color'/ })
})

t.test('a line that is not a JSON object is written as it is', async (t) => {
  const format = lineFormatter({ kind: 'fmt', fmt: '%(message)s', known: [] })
  t.equal(formatChunk('not json\n42\n{"msg":"ok"}\n', format), 'not json\n42\nok\n')
})

for (const useQueue of [false, true]) {
  t.test(`fmt on console and file, color on the console (use_queue ${useQueue})`, async (t) => {
    const dir = tempDir()
    const file = join(dir, 'app.log')
    const run = await runScript(`
      import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
      const text = getLogger({
        name: 'text', use_queue: ${useQueue}, file: ${JSON.stringify(file)}, context: { rid: 'r1' },
        fmt: '[%(levelname)s] %(name)s %(rid)s: %(message)s',
      })
      text.warn('careful')
      const color = getLogger({ name: 'color', use_queue: ${useQueue}, formatter: 'color', console: 'stderr' })
      color.info({ user: 7 }, 'hello')
      await shutdown()
    `)
    t.equal(run.code, 0, run.stderr)
    t.same([run.stdout, readFileSync(file, 'utf8')], ['[WARNING] text r1: careful\n', '[WARNING] text r1: careful\n'])
    // pino-pretty's line: the level in colour, the name, the message, then the field.
    const esc = String.fromCharCode(27)
    const plain = run.stderr.replaceAll(new RegExp(`${esc}\\[\\d+m`, 'g'), '')
    t.match(plain, /INFO \(color\): hello\n\s+user: 7\n/)
    t.ok(run.stderr.includes(`${esc}[32mINFO${esc}[39m`), 'in colour')
  })
}
