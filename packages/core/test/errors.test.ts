import t from 'tap'
import { ConfigError, ErrorCodes, SpoolInUseError } from '../src/errors.ts'

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
