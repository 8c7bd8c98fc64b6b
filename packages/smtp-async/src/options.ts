import {
  ConfigError,
  type CustomLevels,
  closeTimeoutOption,
  credentialsOption,
  customOption,
  ErrorCodes,
  levelOption,
  MAX_TIMER_MS,
  numberOption,
  type OptionsOf,
  optionNames,
  optionPath,
  type RawOptions,
  readOptionTable,
  readStringList,
  requireString,
  retryDelayOptions,
  statsNameOption,
  stringOption,
  type TlsOptions,
  tlsOptions,
} from '@pino-advanced/core'
import { readSecure, readTransportOptions, type SecureSetting, withClientCertificate } from './secure-options.js'

/** The port when mailhost names none (SMTP's). */
const DEFAULT_PORT = 25

// The shared entries, named one by one in OPTIONS (not spread) so each carries its own doc comment.
const TLS_OPTIONS = tlsOptions()
const RETRY_DELAY_OPTIONS = retryDelayOptions(1000, {
  base: 'the first retry waits up to this long',
  max: 'no retry waits longer',
})

/** Every option, once: see core's option-table.ts. */
export const OPTIONS = Object.freeze({
  /**
   * The SMTP server: `'host'`, `'host:port'` or `[host, port]` (Python's form); port 465 means
   * implicit TLS. Required; default port 25.
   */
  mailhost: customOption<string | readonly [host: string, port: number], { host: string; port: number }, true>({
    doc: 'SMTP server (port 25 by default; 465 means implicit TLS)',
    shown: 'required',
    required: true,
    cli: [{ value: 'HOST[:PORT]' }],
    read: (prefix, options) => readMailhost(prefix, options),
  }),
  /** The sender's address. Required. */
  fromaddr: customOption<string, string, true>({
    doc: 'sender',
    shown: 'required',
    required: true,
    cli: [{ value: 'ADDR' }],
    read: (prefix, options, key) => readAddress(prefix, key, requireString(prefix, options, key, 'an email address')),
  }),
  /** The recipients: one address, a comma-separated list, or a list. Required. */
  toaddrs: customOption<string | readonly string[], readonly string[], true>({
    doc: 'recipients',
    shown: 'required',
    required: true,
    cli: [{ value: 'ADDR[,ADDR]' }],
    read: readRecipients,
  }),
  /** With `{level}`, `{msg}`, `{name}`, `{hostname}`, `{count}` placeholders. Default `'[{level}] {msg}'`. */
  subject: stringOption({
    doc: 'with {level} {msg} {name} {hostname} {count}',
    default: '[{level}] {msg}',
    cli: [{ value: 'TEMPLATE' }],
  }),
  /** SMTP AUTH `[user, password]` (never printed; prefer an environment variable in a wrapper script). */
  credentials: credentialsOption('SMTP AUTH (prefer an environment variable in a wrapper script)'),
  /**
   * true: STARTTLS required (implicit TLS on port 465); false: STARTTLS when offered. Python's tuple as a
   * list: `[]` STARTTLS, `[keyfile]` or `[keyfile, certfile]` with a client certificate. Default false.
   */
  secure: customOption<
    boolean | readonly [] | readonly [keyfile: string] | readonly [keyfile: string, certfile: string],
    SecureSetting
  >({
    doc: 'require STARTTLS',
    shown: 'false',
    cli: [{}],
    read: (prefix, options) => readSecure(prefix, options),
  }),
  /** Connection and reply timeout, in seconds, as Python's SMTPHandler. Default 5. */
  timeout: numberOption({
    doc: 'connection and reply timeout, in seconds',
    // Python's SMTPHandler default (timeout=5.0).
    default: 5,
    min: 0.001,
    max: 3600,
    integer: false,
    cli: [{ value: 'SECONDS', numeric: true }],
  }),
  /** TLS connect options, plain data (a top-level `ca` is folded in). */
  tls: TLS_OPTIONS.tls,
  /** PEM CA certificate(s) to trust (short for `tls.ca`). */
  ca: TLS_OPTIONS.ca,
  /**
   * Records below it are not mailed: a pino or Python name, a pino number, or a custom level.
   * Default `'error'`.
   */
  level: levelOption({ doc: 'records below it are not mailed', default: 50 }),
  /** Records of a storm are gathered this long into one digest. Default 60000. */
  groupIntervalMs: numberOption({
    doc: 'a storm is folded into one digest this long',
    default: 60_000,
    max: MAX_TIMER_MS,
  }),
  /** Mails in any hour at most. Default 60. */
  maxEmailsPerHour: numberOption({ doc: 'mails in any hour at most', default: 60, min: 1, max: 100_000 }),
  /** Records listed in full in one mail. Default 100. */
  maxRecordsPerEmail: numberOption({ doc: 'records listed in full in one mail', default: 100, min: 1, max: 100_000 }),
  /** Retries of one mail. Default 5. */
  maxRetries: numberOption({ doc: 'retries of one mail', default: 5, max: 1000 }),
  /** The first retry waits up to this long (full-jitter backoff). Default 1000. */
  retryBaseDelayMs: RETRY_DELAY_OPTIONS.retryBaseDelayMs,
  /** No retry waits longer; at least retryBaseDelayMs. Default 30000. */
  retryMaxDelayMs: RETRY_DELAY_OPTIONS.retryMaxDelayMs,
  /** The end mails what it holds within this long. Default 5000. */
  closeTimeoutMs: closeTimeoutOption('the end mails what it holds within this'),
  /** The name in the stats. Default `'smtp-async'`. */
  statsName: statsNameOption('smtp-async'),
  /** Other nodemailer SMTP transport settings, plain data (not those the options above own). */
  transportOptions: customOption<Readonly<Record<string, unknown>>, RawOptions>({
    doc: 'further nodemailer SMTP options, plain data',
    shown: 'none',
    read: (prefix, options, key, context) =>
      readTransportOptions(prefix, options, (context.resolved.secure as SecureSetting).secure, key),
  }),
})

export const OPTION_NAMES = optionNames(OPTIONS)

/**
 * The options of `@pino-advanced/smtp-async`, as written in `pino.transport({ target, options })`
 * or getLogger's `smtp_handler`, from the table (checked again at run time: a ConfigError
 * names what is wrong).
 */
export type SmtpAsyncOptions = OptionsOf<typeof OPTIONS>

// The table without the required options reads as every default.
const { mailhost: _host, fromaddr: _from, toaddrs: _to, ...OPTIONAL } = OPTIONS
const {
  secure,
  timeout,
  credentials: _credentials,
  tls: _tls,
  ca: _ca,
  transportOptions: _transportOptions,
  ...plain
} = readOptionTable(OPTIONAL, '', {})

/** Each option's default (timeout in seconds, as given), and the port when mailhost names none. */
export const DEFAULTS = Object.freeze({
  port: DEFAULT_PORT,
  ...plain,
  secure: secure.secure,
  timeoutSeconds: timeout,
})

/** The implicit-TLS port (SMTPS). */
export const IMPLICIT_TLS_PORT = 465

export interface ResolvedSmtpOptions {
  readonly host: string
  readonly port: number
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  readonly credentials: { readonly user: string; readonly password: string } | undefined
  /** How the connection is protected: implicit TLS (port 465), STARTTLS required, or as the server offers. */
  readonly tlsMode: 'implicit' | 'starttls' | 'opportunistic'
  readonly timeoutMs: number
  readonly tls: TlsOptions | undefined
  readonly level: number
  readonly groupIntervalMs: number
  readonly maxEmailsPerHour: number
  readonly maxRecordsPerEmail: number
  readonly maxRetries: number
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  readonly closeTimeoutMs: number
  readonly statsName: string
  /** Further nodemailer SMTP transport options (plain data: `name`, `maxConnections`...). */
  readonly transportOptions: RawOptions
}

const MAILHOST = "'host', 'host:port' or [host, port]"

/** The documented `mailhost`: 'host', 'host:port' or [host, port], as Python's SMTPHandler takes it. */
function readMailhost(prefix: string, options: RawOptions): { host: string; port: number } {
  const option = optionPath(prefix, 'mailhost')
  const value = options.mailhost
  if (value === undefined) requireString(prefix, options, 'mailhost', MAILHOST)
  let host: unknown
  let port: unknown = DEFAULT_PORT
  if (typeof value === 'string') {
    const match = /^(.*?)(?::(\d+))?$/.exec(value) as RegExpExecArray
    host = match[1]
    if (match[2] !== undefined) port = Number(match[2])
  } else if (Array.isArray(value) && value.length === 2) {
    ;[host, port] = value
  } else {
    throw ConfigError.received(option, value, MAILHOST)
  }
  if (typeof host !== 'string' || host === '' || /[\s/]/.test(host)) throw ConfigError.received(option, value, MAILHOST)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw ConfigError.received(option, value, `${MAILHOST} with a port from 1 to 65535`)
  }
  return { host, port }
}

function readAddress(prefix: string, option: string, address: string): string {
  // A header value: CR and LF would start a new header.
  if (/[\r\n\0]/.test(address) || !address.includes('@')) {
    throw ConfigError.received(optionPath(prefix, option), address, 'an email address')
  }
  return address
}

/**
 * Validates and normalises every option (ConfigError naming the option otherwise). `prefix`
 * is where the options sit in a larger configuration (`smtp_handler` in getLogger).
 */
export function resolveOptions(raw: unknown, prefix = '', customLevels?: CustomLevels): Readonly<ResolvedSmtpOptions> {
  const {
    mailhost,
    fromaddr,
    toaddrs,
    secure,
    timeout,
    tls,
    ca: _ca,
    ...rest
  } = readOptionTable(OPTIONS, prefix, raw, customLevels)
  return Object.freeze({
    ...rest,
    host: mailhost.host,
    port: mailhost.port,
    from: fromaddr,
    to: toaddrs,
    tlsMode: mailhost.port === IMPLICIT_TLS_PORT ? 'implicit' : secure.secure ? 'starttls' : 'opportunistic',
    timeoutMs: timeout * 1000,
    tls: withClientCertificate(prefix, tls, secure.clientCertificate),
  })
}

/** `toaddrs`: one address, a comma-separated list, or a list; required. */
function readRecipients(prefix: string, options: RawOptions, key: string): readonly string[] {
  const to = readStringList(prefix, options, key)
  if (to === undefined) {
    const option = optionPath(prefix, key)
    throw new ConfigError(
      ErrorCodes.MISSING_OPTION,
      option,
      `${option}: required; expected an address or a list of them`,
    )
  }
  for (const address of to) readAddress(prefix, key, address)
  return to
}
