import t from 'tap'
import { ConfigError } from '../src/errors.ts'
import { startTransport } from '../src/start-error.ts'

t.test('startTransport: the build, or on the main thread its error as it was thrown', async (t) => {
  t.equal(await startTransport('@x/y', () => 42), 42)
  const err = new ConfigError('PA_INVALID_OPTION', 'capacity', 'capacity: bad')
  await t.rejects(
    startTransport('@x/y', async () => {
      throw err
    }),
    err,
  )
})
