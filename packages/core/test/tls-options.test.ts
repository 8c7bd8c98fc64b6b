import t from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import type { ConfigError } from '../src/errors.ts'
import { readTlsOptions, tlsSecrets } from '../src/tls-options.ts'

t.test('nothing given: undefined (Node verifies certificates by default)', async (t) => {
  t.equal(readTlsOptions('', {}), undefined)
  t.equal(readTlsOptions('', { tls: {} }), undefined)
})

t.test('plain-data TLS options, with a top-level ca folded in', async (t) => {
  t.same(readTlsOptions('', { ca: 'PEM' }), { ca: 'PEM' })
  t.same(
    readTlsOptions('', {
      tls: { ca: ['A', 'B'], servername: 'mail.test', rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    }),
    { ca: ['A', 'B'], servername: 'mail.test', rejectUnauthorized: false, minVersion: 'TLSv1.2' },
  )
})

t.test('bad TLS options are ConfigErrors naming the option, never echoing secrets', async (t) => {
  const cases: [unknown, string][] = [
    [{ tls: 'yes' }, 'smtp.tls'],
    [{ tls: { ca: '' } }, 'smtp.tls.ca'],
    [{ tls: { key: 7 } }, 'smtp.tls.key'],
    [{ tls: { passphrase: 12345678 } }, 'smtp.tls.passphrase'],
    [{ tls: { rejectUnauthorized: 'no' } }, 'smtp.tls.rejectUnauthorized'],
    [{ tls: { cafile: 'x' } }, 'smtp.tls.cafile'],
    [{ ca: 'A', tls: { ca: 'B' } }, 'smtp.ca'],
    [{ ca: [] }, 'smtp.ca'],
  ]
  // One assertion per bad value: the ConfigError naming the option, the passphrase not in it.
  for (const [input, option] of cases) {
    expectConfigError(t, () => readTlsOptions('smtp', input as Record<string, unknown>), option, { secret: '12345678' })
  }
  const key = t.throws(() => readTlsOptions('', { tls: { key: ['secret-key', 3] } })) as ConfigError
  t.notMatch(key.message, 'secret-key')
})

t.test('tlsSecrets lists the key material', async (t) => {
  t.same(tlsSecrets(undefined), [])
  t.same(tlsSecrets({ key: 'K', passphrase: 'P', ca: 'C' }), ['K', 'P'])
  t.same(tlsSecrets({ key: ['K1', 'K2'] }), ['K1', 'K2'])
})
