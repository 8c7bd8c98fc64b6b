import t from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import {
  closeTimeoutOption,
  credentialsOption,
  retryDelayOptions,
  statsNameOption,
  tlsOptions,
} from '../src/common-options.ts'
import { readOptionTable } from '../src/option-table.ts'

const TABLE = {
  ...retryDelayOptions(1000, { base: 'first', max: 'longest' }),
  closeTimeoutMs: closeTimeoutOption('close'),
  statsName: statsNameOption('thing'),
  credentials: credentialsOption('auth'),
  ...tlsOptions(),
}

t.test('the shared entries read as each package reads them', async (t) => {
  t.same(readOptionTable(TABLE, '', {}), {
    retryBaseDelayMs: 1000,
    retryMaxDelayMs: 30_000,
    closeTimeoutMs: 5000,
    statsName: 'thing',
    credentials: undefined,
    tls: undefined,
    ca: undefined,
  })
  const read = readOptionTable(TABLE, '', { retryBaseDelayMs: 60_000, credentials: ['u', 'p'], ca: 'PEM' })
  t.same(
    [read.retryMaxDelayMs, read.credentials, read.tls, read.ca],
    [60_000, { user: 'u', password: 'p' }, { ca: 'PEM' }, undefined],
    'the longest wait rises to the first; ca is folded into tls',
  )
})

t.test('the longest wait below the first is refused, as is a close past the exit budget', async (t) => {
  expectConfigError(
    t,
    () => readOptionTable(TABLE, 'h', { retryBaseDelayMs: 500, retryMaxDelayMs: 100 }),
    'h.retryMaxDelayMs',
    {
      message: /at least retryBaseDelayMs \(500\)/,
    },
  )
  expectConfigError(t, () => readOptionTable(TABLE, 'h', { closeTimeoutMs: 10_000 }), 'h.closeTimeoutMs', {
    message: /from 1 to 9500/,
  })
})
