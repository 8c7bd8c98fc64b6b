import { readFileSync } from 'node:fs'
import {
  ConfigError,
  type CustomLevels,
  DEFAULT_CLOSE_TIMEOUT_MS,
  describeValue,
  ErrorCodes,
  MAX_CLOSE_MS,
  MAX_TIMER_MS,
  optionPath,
  type RawOptions,
  readBoolean,
  readCredentials,
  readLevel,
  readNumber,
  readObject,
  readString,
  readStringList,
  readTlsOptions,
  rejectUnknownKeys,
  requireString,
  type TlsOptions,
} from '@pino-advanced/core'

export const OPTION_NAMES = [
  'mailhost',
  'fromaddr',
  'toaddrs',
  'subject',
  'credentials',
  'secure',
  'timeout',
  'tls',
  'ca',
  'level',
  'groupIntervalMs',
  'maxEmailsPerHour',
  'maxRecordsPerEmail',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'closeTimeoutMs',
  'statsName',
  'transportOptions',
] as const

export const DEFAULTS = Object.freeze({
  port: 25,
  subject: '[{level}] {msg}',
  secure: false,
  // Python's SMTPHandler default (timeout=5.0).
  timeoutSeconds: 5,
  level: 50,
  groupIntervalMs: 60_000,
  maxEmailsPerHour: 60,
  maxRecordsPerEmail: 100,
  maxRetries: 5,
  retryBaseDelayMs: 1000,
  retryMaxDelayMs: 30_000,
  closeTimeoutMs: DEFAULT_CLOSE_TIMEOUT_MS,
  statsName: 'smtp-async',
} as const)

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
  let port: unknown = DEFAULTS.port
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
  const options = readObject(prefix === '' ? 'options' : prefix, raw)
  rejectUnknownKeys(prefix, options, OPTION_NAMES)
  const { host, port } = readMailhost(prefix, options)
  const from = readAddress(prefix, 'fromaddr', requireString(prefix, options, 'fromaddr', 'an email address'))
  const to = readStringList(prefix, options, 'toaddrs')
  if (to === undefined) {
    const option = optionPath(prefix, 'toaddrs')
    throw new ConfigError(
      ErrorCodes.MISSING_OPTION,
      option,
      `${option}: required; expected an address or a list of them`,
    )
  }
  for (const address of to) readAddress(prefix, 'toaddrs', address)
  const { secure, clientCertificate } = readSecure(prefix, options)
  return Object.freeze({
    host,
    port,
    from,
    to,
    subject: readString(prefix, options, 'subject', DEFAULTS.subject),
    credentials: readCredentials(prefix, options, 'credentials'),
    tlsMode: port === IMPLICIT_TLS_PORT ? 'implicit' : secure ? 'starttls' : 'opportunistic',
    timeoutMs:
      readNumber(prefix, options, 'timeout', DEFAULTS.timeoutSeconds, { min: 0.001, max: 3600, integer: false }) * 1000,
    tls: withClientCertificate(prefix, readTlsOptions(prefix, options), clientCertificate),
    level: readLevel(prefix, options, 'level', DEFAULTS.level, customLevels),
    groupIntervalMs: readNumber(prefix, options, 'groupIntervalMs', DEFAULTS.groupIntervalMs, { max: MAX_TIMER_MS }),
    maxEmailsPerHour: readNumber(prefix, options, 'maxEmailsPerHour', DEFAULTS.maxEmailsPerHour, {
      min: 1,
      max: 100_000,
    }),
    maxRecordsPerEmail: readNumber(prefix, options, 'maxRecordsPerEmail', DEFAULTS.maxRecordsPerEmail, {
      min: 1,
      max: 100_000,
    }),
    maxRetries: readNumber(prefix, options, 'maxRetries', DEFAULTS.maxRetries, { max: 1000 }),
    retryBaseDelayMs: readNumber(prefix, options, 'retryBaseDelayMs', DEFAULTS.retryBaseDelayMs, {
      min: 1,
      max: MAX_TIMER_MS,
    }),
    retryMaxDelayMs: readNumber(prefix, options, 'retryMaxDelayMs', DEFAULTS.retryMaxDelayMs, {
      min: 1,
      max: MAX_TIMER_MS,
    }),
    closeTimeoutMs: readNumber(prefix, options, 'closeTimeoutMs', DEFAULTS.closeTimeoutMs, {
      min: 1,
      max: MAX_CLOSE_MS,
    }),
    statsName: readString(prefix, options, 'statsName', DEFAULTS.statsName),
    transportOptions: readTransportOptions(prefix, options, secure),
  })
}

/**
 * `secure` as Python's SMTPHandler takes it: a boolean, or the tuple it passes to starttls():
 * `[]` (STARTTLS), `[keyfile]` (STARTTLS with a client certificate: a PEM file holding both the
 * key and the certificate), `[keyfile, certfile]`. The files are read here, once.
 */
function readSecure(
  prefix: string,
  options: RawOptions,
): { readonly secure: boolean; readonly clientCertificate?: { readonly key: string; readonly cert: string } } {
  const value = options.secure
  if (!Array.isArray(value)) return { secure: readBoolean(prefix, options, 'secure', DEFAULTS.secure) }
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

function readTransportOptions(prefix: string, options: RawOptions, secure: boolean): RawOptions {
  const path = optionPath(prefix, 'transportOptions')
  const extra = readObject(path, options.transportOptions)
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
