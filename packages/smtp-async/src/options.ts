import { readFileSync } from 'node:fs'
import {
  ConfigError,
  type CustomLevels,
  closeTimeoutOption,
  credentialsOption,
  customOption,
  describeValue,
  ErrorCodes,
  levelOption,
  MAX_TIMER_MS,
  numberOption,
  type OptionsOf,
  optionNames,
  optionPath,
  type RawOptions,
  readBoolean,
  readObject,
  readOptionTable,
  readStringList,
  requireString,
  retryDelayOptions,
  statsNameOption,
  stringOption,
  type TlsOptions,
  tlsOptions,
} from '@pino-advanced/core'

/** The port when mailhost names none (SMTP's). */
const DEFAULT_PORT = 25

/** Every option, once: see core's option-table.ts. */
export const OPTIONS = Object.freeze({
  mailhost: customOption<string | readonly [host: string, port: number], { host: string; port: number }, true>({
    doc: 'SMTP server (port 25 by default; 465 means implicit TLS)',
    shown: 'required',
    required: true,
    cli: [{ value: 'HOST[:PORT]' }],
    read: (prefix, options) => readMailhost(prefix, options),
  }),
  fromaddr: customOption<string, string, true>({
    doc: 'sender',
    shown: 'required',
    required: true,
    cli: [{ value: 'ADDR' }],
    read: (prefix, options, key) => readAddress(prefix, key, requireString(prefix, options, key, 'an email address')),
  }),
  toaddrs: customOption<string | readonly string[], readonly string[], true>({
    doc: 'recipients',
    shown: 'required',
    required: true,
    cli: [{ value: 'ADDR[,ADDR]' }],
    read: readRecipients,
  }),
  subject: stringOption({
    doc: 'with {level} {msg} {name} {hostname} {count}',
    default: '[{level}] {msg}',
    cli: [{ value: 'TEMPLATE' }],
  }),
  credentials: credentialsOption('SMTP AUTH (prefer an environment variable in a wrapper script)'),
  secure: customOption<
    boolean | readonly [] | readonly [keyfile: string] | readonly [keyfile: string, certfile: string],
    SecureSetting
  >({
    doc: 'require STARTTLS',
    shown: 'false',
    cli: [{}],
    read: (prefix, options) => readSecure(prefix, options),
  }),
  timeout: numberOption({
    doc: 'connection and reply timeout, in seconds',
    // Python's SMTPHandler default (timeout=5.0).
    default: 5,
    min: 0.001,
    max: 3600,
    integer: false,
    cli: [{ value: 'SECONDS', numeric: true }],
  }),
  ...tlsOptions(),
  level: levelOption({ doc: 'records below it are not mailed', default: 50 }),
  groupIntervalMs: numberOption({
    doc: 'a storm is folded into one digest this long',
    default: 60_000,
    max: MAX_TIMER_MS,
  }),
  maxEmailsPerHour: numberOption({ doc: 'mails in any hour at most', default: 60, min: 1, max: 100_000 }),
  maxRecordsPerEmail: numberOption({ doc: 'records listed in full in one mail', default: 100, min: 1, max: 100_000 }),
  maxRetries: numberOption({ doc: 'retries of one mail', default: 5, max: 1000 }),
  ...retryDelayOptions(1000, { base: 'the first retry waits up to this long', max: 'no retry waits longer' }),
  closeTimeoutMs: closeTimeoutOption('the end mails what it holds within this'),
  statsName: statsNameOption('smtp-async'),
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

function invalid(option: string, value: unknown, expected: string): ConfigError {
  return ConfigError.invalid(option, `received ${describeValue(value)}; expected ${expected}`)
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
    throw invalid(option, value, MAILHOST)
  }
  if (typeof host !== 'string' || host === '' || /[\s/]/.test(host)) throw invalid(option, value, MAILHOST)
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(option, value, `${MAILHOST} with a port from 1 to 65535`)
  }
  return { host, port }
}

function readAddress(prefix: string, option: string, address: string): string {
  // A header value: CR and LF would start a new header.
  if (/[\r\n\0]/.test(address) || !address.includes('@')) {
    throw invalid(optionPath(prefix, option), address, 'an email address')
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

interface SecureSetting {
  readonly secure: boolean
  readonly clientCertificate?: { readonly key: string; readonly cert: string }
}

/**
 * `secure` as Python's SMTPHandler takes it: a boolean, or the tuple it passes to starttls():
 * `[]` (STARTTLS), `[keyfile]` (STARTTLS with a client certificate: a PEM file holding both the
 * key and the certificate), `[keyfile, certfile]`. The files are read here, once.
 */
function readSecure(prefix: string, options: RawOptions): SecureSetting {
  const value = options.secure
  if (!Array.isArray(value)) return { secure: readBoolean(prefix, options, 'secure', false) }
  const option = optionPath(prefix, 'secure')
  if (value.length > 2) {
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: received a list of ${value.length}; expected true, false, [] (STARTTLS), [keyfile] or [keyfile, certfile] (Python's tuple)`,
    )
  }
  const files = value.map((file, i) => readPemFile(`${option}[${i}]`, file))
  const [key, cert = key] = files
  return key === undefined ? { secure: true } : { secure: true, clientCertificate: { key, cert: cert as string } }
}

function readPemFile(option: string, file: unknown): string {
  if (typeof file !== 'string' || file === '') {
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: received ${describeValue(file)}; expected a file path`,
    )
  }
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: ${file} cannot be read (${(err as NodeJS.ErrnoException).code})`,
    )
  }
}

/** The client certificate from `secure`'s files joins the TLS options (`tls.key` and `tls.cert` would clash). */
function withClientCertificate(
  prefix: string,
  tls: TlsOptions | undefined,
  client: { readonly key: string; readonly cert: string } | undefined,
): TlsOptions | undefined {
  if (client === undefined) return tls
  if (tls?.key !== undefined || tls?.cert !== undefined) {
    const option = optionPath(prefix, 'secure')
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: give the client certificate once, as secure's files or as tls.key and tls.cert`,
    )
  }
  return Object.freeze({ ...tls, key: client.key, cert: client.cert })
}

/**
 * nodemailer settings that the documented options own. Through `transportOptions` they would
 * slip past the checks (a password the diagnostics do not know to hide, TLS material, a plain
 * connection despite `secure: true`, a logger printing the SMTP dialogue).
 */
const OWNED_SETTINGS: Readonly<Record<string, string>> = {
  host: 'mailhost',
  port: 'mailhost',
  secure: 'secure',
  requireTLS: 'secure',
  auth: 'credentials',
  tls: 'tls',
  connectionTimeout: 'timeout',
  greetingTimeout: 'timeout',
  socketTimeout: 'timeout',
  pool: "nothing (the transport's connections are always pooled)",
  logger: 'nothing (failures are reported on stderr, without secrets)',
  debug: 'nothing (failures are reported on stderr, without secrets)',
}

function readTransportOptions(prefix: string, options: RawOptions, secure: boolean, key: string): RawOptions {
  const path = optionPath(prefix, key)
  const extra = readObject(path, options[key])
  for (const key of Object.keys(extra)) {
    const owner = key === 'ignoreTLS' && secure ? 'secure (ignoreTLS contradicts secure: true)' : OWNED_SETTINGS[key]
    if (owner === undefined) continue
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      `${path}.${key}`,
      `${path}.${key}: not accepted here; use ${owner}`,
    )
  }
  return Object.freeze({ ...extra })
}
