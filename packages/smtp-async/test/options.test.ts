import type { ConfigError } from '@pino-advanced/core'
import t from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import { DEFAULTS, resolveOptions } from '../src/options.ts'

const base = { mailhost: 'smtp.example.com', fromaddr: 'from@example.com', toaddrs: ['to@example.com'] }

t.test('the documented options, with the defaults', async (t) => {
  const o = resolveOptions({ ...base, subject: 'Log Alert' })
  t.match(o, {
    host: 'smtp.example.com',
    port: 25,
    from: 'from@example.com',
    to: ['to@example.com'],
    subject: 'Log Alert',
    credentials: undefined,
    tlsMode: 'opportunistic',
    timeoutMs: 5000,
    tls: undefined,
    level: 50,
    groupIntervalMs: 60_000,
    maxEmailsPerHour: 60,
    maxRecordsPerEmail: 100,
    closeTimeoutMs: 5000,
    statsName: 'smtp-async',
  })
  t.equal(resolveOptions(base).subject, DEFAULTS.subject)
  t.ok(Object.isFrozen(o))
})

t.test('mailhost as host, host:port or [host, port]; TLS mode from secure and the port', async (t) => {
  t.match(resolveOptions({ ...base, mailhost: 'mail.test:2525' }), { host: 'mail.test', port: 2525 })
  t.match(resolveOptions({ ...base, mailhost: ['mail.test', 587], secure: true }), {
    port: 587,
    tlsMode: 'starttls',
  })
  t.match(resolveOptions({ ...base, mailhost: ['mail.test', 465] }), { tlsMode: 'implicit' })
  t.match(resolveOptions({ ...base, mailhost: 'mail.test:465', secure: true }), { tlsMode: 'implicit' })
  t.same(resolveOptions({ ...base, toaddrs: 'a@x.test, b@x.test' }).to, ['a@x.test', 'b@x.test'])
  t.same(resolveOptions({ ...base, credentials: ['u', 'p'] }).credentials, { user: 'u', password: 'p' })
  t.equal(resolveOptions({ ...base, timeout: 2.5 }).timeoutMs, 2500, 'timeout is in seconds, as documented')
  t.same(resolveOptions({ ...base, ca: 'PEM' }).tls, { ca: 'PEM' })
  t.equal(resolveOptions({ ...base, level: 'WARNING' }).level, 40)
  t.same(resolveOptions({ ...base, transportOptions: { name: 'me' } }).transportOptions, { name: 'me' })
  t.same(resolveOptions({ ...base, transportOptions: { ignoreTLS: true } }).transportOptions, { ignoreTLS: true })
})

t.test('every bad option is a ConfigError naming it', async (t) => {
  const cases: [Record<string, unknown>, string, string?][] = [
    [{ ...base, mailhost: undefined }, 'smtp_handler.mailhost', 'PA_MISSING_OPTION'],
    [{ ...base, mailhost: 25 }, 'smtp_handler.mailhost'],
    [{ ...base, mailhost: ['h'] }, 'smtp_handler.mailhost'],
    [{ ...base, mailhost: 'h:99999' }, 'smtp_handler.mailhost'],
    [{ ...base, mailhost: ['h', '25'] }, 'smtp_handler.mailhost'],
    [{ ...base, mailhost: 'bad host' }, 'smtp_handler.mailhost'],
    [{ ...base, mailhost: ':25' }, 'smtp_handler.mailhost'],
    [{ ...base, fromaddr: undefined }, 'smtp_handler.fromaddr', 'PA_MISSING_OPTION'],
    [{ ...base, fromaddr: 'nobody' }, 'smtp_handler.fromaddr'],
    [{ ...base, fromaddr: 'a@b\r\nBcc: c@d' }, 'smtp_handler.fromaddr'],
    [{ ...base, toaddrs: undefined }, 'smtp_handler.toaddrs', 'PA_MISSING_OPTION'],
    [{ ...base, toaddrs: [] }, 'smtp_handler.toaddrs'],
    [{ ...base, toaddrs: ['x'] }, 'smtp_handler.toaddrs'],
    [{ ...base, subject: '' }, 'smtp_handler.subject'],
    [{ ...base, credentials: 'u:p' }, 'smtp_handler.credentials'],
    [{ ...base, secure: 'yes' }, 'smtp_handler.secure'],
    [{ ...base, timeout: 0 }, 'smtp_handler.timeout'],
    [{ ...base, tls: { rejectUnauthorized: 'no' } }, 'smtp_handler.tls.rejectUnauthorized'],
    [{ ...base, level: 'loud' }, 'smtp_handler.level'],
    [{ ...base, groupIntervalMs: -1 }, 'smtp_handler.groupIntervalMs'],
    [{ ...base, maxEmailsPerHour: 0 }, 'smtp_handler.maxEmailsPerHour'],
    [{ ...base, maxRecordsPerEmail: 0 }, 'smtp_handler.maxRecordsPerEmail'],
    [{ ...base, maxRetries: 1.5 }, 'smtp_handler.maxRetries'],
    [{ ...base, retryBaseDelayMs: 0 }, 'smtp_handler.retryBaseDelayMs'],
    [{ ...base, retryMaxDelayMs: 0 }, 'smtp_handler.retryMaxDelayMs'],
    [{ ...base, closeTimeoutMs: 10_000 }, 'smtp_handler.closeTimeoutMs'],
    [{ ...base, statsName: 3 }, 'smtp_handler.statsName'],
    [{ ...base, transportOptions: [] }, 'smtp_handler.transportOptions'],
    [{ ...base, transportOptions: { auth: { user: 'u', pass: 'hunter22' } } }, 'smtp_handler.transportOptions.auth'],
    [{ ...base, transportOptions: { tls: {} } }, 'smtp_handler.transportOptions.tls'],
    [{ ...base, transportOptions: { logger: true } }, 'smtp_handler.transportOptions.logger'],
    [{ ...base, secure: true, transportOptions: { ignoreTLS: true } }, 'smtp_handler.transportOptions.ignoreTLS'],
    [{ ...base, mailserver: 'x' }, 'smtp_handler.mailserver', 'PA_UNKNOWN_OPTION'],
  ]
  // One assertion per bad value: thrown, a ConfigError, its code, naming the option first.
  for (const [input, option, code = 'PA_INVALID_OPTION'] of cases) {
    expectConfigError(t, () => resolveOptions(input, 'smtp_handler'), option, { code })
  }
  t.throws(() => resolveOptions('smtp.example.com'), { name: 'ConfigError', option: 'options' })
  const err = t.throws(() => resolveOptions({ ...base, credentials: ['u', 7, 'hunter22'] })) as ConfigError
  t.notMatch(err.message, 'hunter22')
  const viaTransport = t.throws(() =>
    resolveOptions({ ...base, transportOptions: { auth: { user: 'u', pass: 'hunter22' } } }),
  ) as ConfigError
  t.notMatch(viaTransport.message, 'hunter22')
})

t.test('the longest retry wait is at least the first, as in http-async', async (t) => {
  expectConfigError(
    t,
    () => resolveOptions({ ...base, retryBaseDelayMs: 5000, retryMaxDelayMs: 1000 }, 'smtp_handler'),
    'smtp_handler.retryMaxDelayMs',
    { code: 'PA_INVALID_OPTION', message: 'received 1000; expected at least retryBaseDelayMs (5000)' },
  )
  t.same(
    [resolveOptions({ ...base, retryBaseDelayMs: 60_000 }).retryMaxDelayMs, resolveOptions(base).retryMaxDelayMs],
    [60_000, 30_000],
    'left out, it rises to a first wait above its default of 30000',
  )
})
