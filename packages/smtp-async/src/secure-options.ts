import { readFileSync } from 'node:fs'
import { ConfigError, optionPath, type RawOptions, readBoolean, readObject, type TlsOptions } from '@pino-advanced/core'

// How the connection is protected: \`secure\` (Python's boolean or tuple, its files read once),
// the client certificate joining the TLS options, and the nodemailer settings the options own.

export interface SecureSetting {
  readonly secure: boolean
  readonly clientCertificate?: { readonly key: string; readonly cert: string }
}

/**
 * `secure` as Python's SMTPHandler takes it: a boolean, or the tuple it passes to starttls():
 * `[]` (STARTTLS), `[keyfile]` (STARTTLS with a client certificate: a PEM file holding both the
 * key and the certificate), `[keyfile, certfile]`. The files are read here, once.
 */
export function readSecure(prefix: string, options: RawOptions): SecureSetting {
  const value = options.secure
  if (!Array.isArray(value)) return { secure: readBoolean(prefix, options, 'secure', false) }
  const option = optionPath(prefix, 'secure')
  if (value.length > 2) {
    throw ConfigError.invalid(
      option,
      `received a list of ${value.length}; expected true, false, [] (STARTTLS), [keyfile] or [keyfile, certfile] (Python's tuple)`,
    )
  }
  const files = value.map((file, i) => readPemFile(`${option}[${i}]`, file))
  const [key, cert = key] = files
  return key === undefined ? { secure: true } : { secure: true, clientCertificate: { key, cert: cert as string } }
}

function readPemFile(option: string, file: unknown): string {
  if (typeof file !== 'string' || file === '') {
    throw ConfigError.received(option, file, `a file path`)
  }
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw ConfigError.invalid(option, `${file} cannot be read (${(err as NodeJS.ErrnoException).code})`)
  }
}

/** The client certificate from `secure`'s files joins the TLS options (`tls.key` and `tls.cert` would clash). */
export function withClientCertificate(
  prefix: string,
  tls: TlsOptions | undefined,
  client: { readonly key: string; readonly cert: string } | undefined,
): TlsOptions | undefined {
  if (client === undefined) return tls
  if (tls?.key !== undefined || tls?.cert !== undefined) {
    const option = optionPath(prefix, 'secure')
    throw ConfigError.invalid(option, `give the client certificate once, as secure's files or as tls.key and tls.cert`)
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

export function readTransportOptions(prefix: string, options: RawOptions, secure: boolean, key: string): RawOptions {
  const path = optionPath(prefix, key)
  const extra = readObject(path, options[key])
  for (const key of Object.keys(extra)) {
    const owner = key === 'ignoreTLS' && secure ? 'secure (ignoreTLS contradicts secure: true)' : OWNED_SETTINGS[key]
    if (owner === undefined) continue
    throw ConfigError.invalid(`${path}.${key}`, `not accepted here; use ${owner}`)
  }
  return Object.freeze({ ...extra })
}
