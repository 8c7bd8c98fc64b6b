import t from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import type { ConfigError } from '../src/errors.ts'
import { LEVELS, levelName, parseLevel } from '../src/levels.ts'

t.test('pino names, Python names in any case and pino numbers resolve to pino numbers', async (t) => {
  t.same(
    Object.keys(LEVELS).map((name) => parseLevel('level', name)),
    Object.values(LEVELS),
    'every pino name',
  )
  t.equal(parseLevel('level', 'WARNING'), 40)
  t.equal(parseLevel('level', 'Warn'), 40)
  t.equal(parseLevel('level', 'CRITICAL'), 60)
  t.equal(parseLevel('level', 'FATAL'), 60)
  t.equal(parseLevel('level', ' error '), 50)
  t.equal(parseLevel('level', 'DEBUG'), 20)
  t.same(
    [10, 20, 30, 40, 50, 60].map((n) => parseLevel('level', n)),
    [10, 20, 30, 40, 50, 60],
    'every pino number',
  )
})

t.test('anything else is a ConfigError naming the option and the allowed values', async (t) => {
  for (const bad of ['verbose', '', 35, 0, 70, null, {}, true]) {
    expectConfigError(t, () => parseLevel('memory_flush_level', bad), 'memory_flush_level', {
      message: /^memory_flush_level: received .*; expected .*WARNING.*pino's numbers, not Python's/,
    })
  }
})

t.test('levelName maps numbers back, custom numbers to the name below', async (t) => {
  t.equal(levelName(30), 'info')
  t.equal(levelName(60), 'fatal')
  t.equal(levelName(35), 'info')
  t.equal(levelName(99), 'fatal')
  t.equal(levelName(5), 'trace')
})

t.test("custom levels (pino's customLevels): their names, case-sensitive, and their numbers", async (t) => {
  const custom = { audit: 35, Notice: 33 }
  t.same(
    [parseLevel('level', 'audit', custom), parseLevel('level', 35, custom), parseLevel('level', 'Notice', custom)],
    [35, 35, 33],
  )
  t.equal(parseLevel('level', 'warn', custom), 40, 'the standard names still work')
  const err = t.throws(() => parseLevel('flushLevel', 'AUDIT', custom)) as ConfigError
  t.match(err.message, /^flushLevel: received "AUDIT"; .*, or one of the logger's custom levels \(audit, Notice\)$/)
  t.equal((t.throws(() => parseLevel('level', 36, custom)) as ConfigError).option, 'level')
})
