import { describeValue } from './describe.js'
import { ConfigError } from './errors.js'
import { optionPath, type RawOptions, readBoolean, readObject, rejectUnknownKeys } from './options.js'

/** The TLS options a transport takes (plain data: they cross the thread boundary). */
export const TLS_OPTION_NAMES = [
  'ca',
  'cert',
  'key',
  'passphrase',
  'servername',
  'rejectUnauthorized',
  'minVersion',
  'maxVersion',
  'ciphers',
] as const

export type TlsOptions = Readonly<
  Partial<Record<(typeof TLS_OPTION_NAMES)[number], string | boolean | readonly string[]>>
>

function readPem(option: string, value: unknown): string | readonly string[] {
  if (typeof value === 'string' && value !== '') return value
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) {
    return Object.freeze([...(value as string[])])
  }
  // A key is a secret: say what it is, never echo it.
  const received = option.endsWith('.key') ? 'a value' : describeValue(value)
  throw ConfigError.invalid(option, `received ${received}; expected a PEM string or a non-empty list of PEM strings`)
}

/**
 * `tls` (and a top-level `ca`, the common case, folded into it). Certificates are verified
 * unless `rejectUnauthorized: false` says otherwise. Undefined when nothing was given.
 */
export function readTlsOptions(prefix: string, options: RawOptions): TlsOptions | undefined {
  const tlsPath = optionPath(prefix, 'tls')
  const raw = readObject(tlsPath, options.tls)
  rejectUnknownKeys(tlsPath, raw, TLS_OPTION_NAMES)
  const out: Record<string, string | boolean | readonly string[]> = {}
  for (const [key, value] of Object.entries(raw)) {
    const option = optionPath(tlsPath, key)
    if (key === 'rejectUnauthorized') out[key] = readBoolean(tlsPath, raw, key, true)
    else if (key === 'ca' || key === 'cert' || key === 'key') out[key] = readPem(option, value)
    else if (typeof value === 'string' && value !== '') out[key] = value
    // Never echo the value: it may be a passphrase.
    else throw ConfigError.invalid(option, 'expected a non-empty string')
  }
  if (options.ca !== undefined) {
    const option = optionPath(prefix, 'ca')
    if (out.ca !== undefined)
      throw ConfigError.invalid(option, `give the CA once, as ${option} or as ${optionPath(tlsPath, 'ca')}`)
    out.ca = readPem(option, options.ca)
  }
  return Object.keys(out).length === 0 ? undefined : Object.freeze(out)
}

/** The TLS values that must never be printed (the key and its passphrase). */
export function tlsSecrets(tls: TlsOptions | undefined): string[] {
  const secrets: string[] = []
  for (const key of ['key', 'passphrase'] as const) {
    const value = tls?.[key]
    if (typeof value === 'string') secrets.push(value)
    else if (Array.isArray(value)) secrets.push(...(value as string[]))
  }
  return secrets
}

/** The `tls` option as users write it (Node's tls.connect options that are plain data). */
export interface TlsInput {
  /** PEM CA certificate(s) to trust, instead of Node's store. */
  readonly ca?: string | readonly string[]
  /** PEM client certificate(s), for mutual TLS. */
  readonly cert?: string | readonly string[]
  /** PEM private key(s) of `cert`. */
  readonly key?: string | readonly string[]
  readonly passphrase?: string
  readonly servername?: string
  /** Default true: certificates are verified. */
  readonly rejectUnauthorized?: boolean
  readonly minVersion?: string
  readonly maxVersion?: string
  readonly ciphers?: string
}
