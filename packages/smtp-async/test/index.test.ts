// The package's entry exports its documented API, not storm control, the mailer or the mail format.
import t from 'tap'
import * as api from '../src/index.ts'

t.test('the entry exports the transport, the hand-off, the command and the options, and nothing else', async (t) => {
  t.same(Object.keys(api).sort(), [
    'DEFAULTS',
    'IMPLICIT_TLS_PORT',
    'OPTIONS',
    'OPTION_NAMES',
    'Reasons',
    'SmtpAsyncStream',
    'USAGE',
    'createSmtpAsync',
    'default',
    'deliverUnsent',
    'parseCliArgs',
    'resolveOptions',
    'runCli',
  ])
})
