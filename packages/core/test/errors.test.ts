import t from 'tap'
import { ConfigError, ErrorCodes, PinoAdvancedError, SpoolInUseError } from '../src/errors.ts'

t.test('SpoolInUseError: its name, code, option and owner; an Error, not a ConfigError', async (t) => {
  const err = new SpoolInUseError('spool.dir', 4242, 'spool.dir: /tmp/x is in use by process 4242')
  t.match(err, {
    name: 'SpoolInUseError',
    code: 'PA_SPOOL_IN_USE',
    option: 'spool.dir',
    owner: 4242,
    message: 'spool.dir: /tmp/x is in use by process 4242',
  })
  t.equal(err.code, ErrorCodes.SPOOL_IN_USE)
  t.ok(err instanceof Error)
  t.notOk(err instanceof ConfigError, 'a state of the machine, not a mistake in the options')
})

t.test('ConfigError.invalid: the option names itself in the message, code PA_INVALID_OPTION', async (t) => {
  const cause = new Error('underneath')
  const err = ConfigError.invalid('http_handler.timeoutMs', 'expected a number', { cause })
  t.match(err, { name: 'ConfigError', code: 'PA_INVALID_OPTION', option: 'http_handler.timeoutMs' })
  t.equal(err.message, 'http_handler.timeoutMs: expected a number')
  t.equal(err.cause, cause)
  t.ok(err instanceof PinoAdvancedError && err instanceof Error)
  t.equal(ConfigError.invalid('x', 'y').cause, undefined)
})

t.test('instanceof checks the Symbol.for brand: a second copy of core agrees', async (t) => {
  // A query string makes the loader evaluate the module again: the classes of another copy.
  const other = (await import(`../src/errors.ts?copy=${Date.now()}`)) as typeof import('../src/errors.ts')
  t.not(other.ConfigError, ConfigError)
  const theirs = other.ConfigError.invalid('a', 'b')
  const ours = new SpoolInUseError('spool.dir', 1, 'in use')
  t.same(
    [
      theirs instanceof ConfigError,
      theirs instanceof PinoAdvancedError,
      theirs instanceof SpoolInUseError,
      ours instanceof other.SpoolInUseError,
      ours instanceof other.PinoAdvancedError,
      ours instanceof other.ConfigError,
      new Error('plain') instanceof PinoAdvancedError,
      (null as unknown) instanceof PinoAdvancedError,
      new PinoAdvancedError(ErrorCodes.INVALID_OPTION, 'base') instanceof ConfigError,
    ],
    [true, true, false, true, true, false, false, false, false],
  )
  t.same(Object.getOwnPropertySymbols(theirs), [], 'the brand adds no own property')
})

t.test('the code list is frozen', async (t) => {
  t.ok(Object.isFrozen(ErrorCodes))
})
