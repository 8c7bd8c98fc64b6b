import t, { type Test } from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import { describeValue } from '../src/describe.ts'
import type { ConfigError } from '../src/errors.ts'
import {
  optionPath,
  readBoolean,
  readCredentials,
  readEnum,
  readLevel,
  readNumber,
  readObject,
  readString,
  readStringList,
  readStringRecord,
  rejectUnknownKeys,
  requireString,
} from '../src/options.ts'

/** One assertion: a ConfigError with `code`, naming `option` (see test/helpers/config-error.ts). */
function configError(t: Test, fn: () => unknown, option: string, code = 'PA_INVALID_OPTION'): ConfigError {
  return expectConfigError(t, fn, option, { code }) as ConfigError
}

t.test('optionPath joins prefixes', async (t) => {
  t.equal(optionPath('', 'level'), 'level')
  t.equal(optionPath('http_handler', 'url'), 'http_handler.url')
})

t.test('readObject accepts plain objects and nothing, rejects the rest', async (t) => {
  t.same(readObject('x', undefined), {})
  t.same(readObject('x', null), {})
  t.same(readObject('x', { a: 1 }), { a: 1 })
  configError(t, () => readObject('x', [1]), 'x')
  configError(t, () => readObject('x', 'str'), 'x')
})

t.test('unknown keys are rejected with a suggestion and the valid list', async (t) => {
  rejectUnknownKeys('', { memory_capacity: 1 }, ['memory_capacity', 'name'])
  const err = configError(
    t,
    () => rejectUnknownKeys('', { memory_capcity: 1 }, ['memory_capacity', 'name']),
    'memory_capcity',
    'PA_UNKNOWN_OPTION',
  )
  t.match(err.message, 'did you mean memory_capacity?')
  t.match(err.message, 'valid options are memory_capacity, name')
  const far = configError(t, () => rejectUnknownKeys('h', { zzzzzz: 1 }, ['url']), 'h.zzzzzz', 'PA_UNKNOWN_OPTION')
  t.notMatch(far.message, 'did you mean')
  t.match(far.message, 'valid options of h are url')
})

t.test('readNumber: defaults, bounds, integers', async (t) => {
  t.equal(readNumber('', {}, 'n', 5), 5)
  t.equal(readNumber('', {}, 'n', undefined), undefined)
  t.equal(readNumber('', { n: 7 }, 'n', 5, { min: 1 }), 7)
  t.equal(readNumber('', { n: 0.5 }, 'n', 5, { integer: false, max: 1 }), 0.5)
  const err = configError(t, () => readNumber('p', { n: 0 }, 'n', 5, { min: 1, max: 10 }), 'p.n')
  t.match(err.message, 'p.n: received 0; expected an integer from 1 to 10')
  configError(t, () => readNumber('', { n: 1.5 }, 'n', 5), 'n')
  configError(t, () => readNumber('', { n: '3' }, 'n', 5), 'n')
  configError(t, () => readNumber('', { n: Number.NaN }, 'n', 5, { integer: false }), 'n')
  t.match(
    configError(t, () => readNumber('', { n: -1 }, 'n', 5, { integer: false }), 'n').message,
    'expected a number from 0',
  )
})

t.test('readBoolean, readString, requireString, readEnum, readLevel', async (t) => {
  t.equal(readBoolean('', {}, 'b', true), true)
  t.equal(readBoolean('', { b: false }, 'b', true), false)
  configError(t, () => readBoolean('', { b: 'yes' }, 'b', true), 'b')
  t.equal(readString('', {}, 's', 'd'), 'd')
  t.equal(readString('', {}, 's', undefined), undefined)
  t.equal(readString('', { s: 'x' }, 's', 'd'), 'x')
  configError(t, () => readString('', { s: '' }, 's', 'd'), 's')
  configError(t, () => readString('', { s: 1 }, 's', 'd'), 's')
  t.equal(requireString('', { s: 'x' }, 's'), 'x')
  t.match(configError(t, () => requireString('o', {}, 's', 'a URL'), 'o.s', 'PA_MISSING_OPTION').message, 'a URL')
  t.equal(readEnum('', {}, 'm', ['a', 'b'], 'a'), 'a')
  t.equal(readEnum('', { m: 'b' }, 'm', ['a', 'b'], 'a'), 'b')
  t.match(configError(t, () => readEnum('', { m: 'c' }, 'm', ['a', 'b'], 'a'), 'm').message, "one of 'a', 'b'")
  t.equal(readLevel('', {}, 'l', 50), 50)
  t.equal(readLevel('', { l: 'WARNING' }, 'l', 50), 40)
  configError(t, () => readLevel('x', { l: 'loud' }, 'l', 50), 'x.l')
})

t.test('readStringList takes a string, a comma list or an array', async (t) => {
  t.equal(readStringList('', {}, 'to'), undefined)
  t.same(readStringList('', { to: 'a@x' }, 'to'), ['a@x'])
  t.same(readStringList('', { to: 'a@x, b@x' }, 'to'), ['a@x', 'b@x'])
  t.same(readStringList('', { to: ['a@x', 'b@x'] }, 'to'), ['a@x', 'b@x'])
  configError(t, () => readStringList('', { to: [] }, 'to'), 'to')
  configError(t, () => readStringList('', { to: [''] }, 'to'), 'to')
  configError(t, () => readStringList('', { to: 3 }, 'to'), 'to')
})

t.test('readStringRecord takes flat string maps only', async (t) => {
  t.same(readStringRecord('', {}, 'headers'), {})
  t.same(readStringRecord('', { headers: { a: 'b' } }, 'headers'), { a: 'b' })
  configError(t, () => readStringRecord('h', { headers: { a: 1 } }, 'headers'), 'h.headers.a')
})

t.test('readCredentials takes [user, password] and never echoes it', async (t) => {
  t.equal(readCredentials('', {}, 'credentials'), undefined)
  t.same(readCredentials('', { credentials: ['u', 'p'] }, 'credentials'), { user: 'u', password: 'p' })
  for (const bad of [['u'], 'u:p', ['', 'p'], ['u', 1], [1, 'hunter22']]) {
    // One assertion each: the ConfigError, and that it never echoes the password.
    expectConfigError(t, () => readCredentials('smtp', { credentials: bad }, 'credentials'), 'smtp.credentials', {
      secret: 'hunter22',
    })
  }
})

t.test('describeValue renders values safely', async (t) => {
  t.equal(describeValue('abc'), '"abc"')
  t.equal(describeValue('x'.repeat(100)).length, 62)
  t.equal(describeValue(3), '3')
  t.equal(describeValue(true), 'true')
  t.equal(describeValue(1n), '1')
  t.equal(describeValue(null), 'null')
  t.equal(describeValue(undefined), 'undefined')
  t.equal(describeValue([1, 2]), 'an array of 2')
  t.equal(
    describeValue(() => 1),
    'a function',
  )
  t.equal(describeValue({}), 'an object')
})
