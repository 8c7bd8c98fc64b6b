import type { TlsInput } from '@pino-advanced/core'

/**
 * The options of `@pino-advanced/smtp-async`, as written in `pino.transport({ target, options })`
 * or getLogger's `smtp_handler` (checked again at run time: a ConfigError names what is wrong).
 */
export interface SmtpAsyncOptions {
  /** `'host'`, `'host:port'` or `[host, port]` (Python's form). Default port 25. */
  readonly mailhost: string | readonly [host: string, port: number]
  readonly fromaddr: string
  /** One address, a comma-separated list, or a list. */
  readonly toaddrs: string | readonly string[]
  /** With `{level}`, `{msg}`... placeholders. Default `'[{level}] {msg}'`. */
  readonly subject?: string
  /** `[user, password]` (never printed). */
  readonly credentials?: readonly [user: string, password: string]
  /**
   * true: STARTTLS required (implicit TLS on port 465); false (default): STARTTLS when offered.
   * Python's tuple as a list: `[]` STARTTLS, `[keyfile]` or `[keyfile, certfile]` with a client certificate.
   */
  readonly secure?: boolean | readonly [] | readonly [keyfile: string] | readonly [keyfile: string, certfile: string]
  /** Seconds, as Python's SMTPHandler. Default 5. */
  readonly timeout?: number
  readonly tls?: TlsInput
  /** PEM CA certificate(s) to trust (short for `tls.ca`). */
  readonly ca?: string | readonly string[]
  /** Records below it are not mailed: a pino or Python name, a pino number, or a custom level. Default `'error'`. */
  readonly level?: string | number
  /** Records of a storm are gathered this long into one digest. Default 60000. */
  readonly groupIntervalMs?: number
  /** Default 60. */
  readonly maxEmailsPerHour?: number
  /** Default 100. */
  readonly maxRecordsPerEmail?: number
  /** Default 5. */
  readonly maxRetries?: number
  /** Default 1000. */
  readonly retryBaseDelayMs?: number
  /** Default 30000. */
  readonly retryMaxDelayMs?: number
  /** Default 5000. */
  readonly closeTimeoutMs?: number
  /** Default `'smtp-async'`. */
  readonly statsName?: string
  /** Other nodemailer SMTP transport settings (not those the options above own). */
  readonly transportOptions?: Readonly<Record<string, unknown>>
}
