import { ConfigError, describeValue } from '@pino-advanced/core'

/** The environment the OTEL_* defaults are read from (process.env, or a test's own). */
export type Environment = Readonly<Record<string, string | undefined>>

/** The variables of the OpenTelemetry specification this transport reads, signal-specific first. */
export const ENV = Object.freeze({
  LOGS_ENDPOINT: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  ENDPOINT: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  LOGS_HEADERS: 'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
  HEADERS: 'OTEL_EXPORTER_OTLP_HEADERS',
  LOGS_PROTOCOL: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  PROTOCOL: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  LOGS_COMPRESSION: 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION',
  COMPRESSION: 'OTEL_EXPORTER_OTLP_COMPRESSION',
  SERVICE_NAME: 'OTEL_SERVICE_NAME',
  RESOURCE_ATTRIBUTES: 'OTEL_RESOURCE_ATTRIBUTES',
} as const)

/** A variable's value, trimmed; unset when empty, as the specification says. */
export function envValue(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** The first of the variables that is set, with its name (the signal-specific one first). */
export function firstSet(env: Environment, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = envValue(env, name)
    if (value !== undefined) return { name, value }
  }
  return undefined
}

/** One of `allowed`, from the first of `names` that is set; undefined when none is. */
export function envEnum<const T extends string>(
  env: Environment,
  names: readonly string[],
  allowed: readonly T[],
  hint = '',
): T | undefined {
  const found = firstSet(env, names)
  if (found === undefined) return undefined
  const value = found.value.toLowerCase()
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw ConfigError.received(found.name, found.value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}${hint}`)
}

/**
 * A W3C-baggage-like list, `k=v,k2=v2`, values percent-decoded (keys trimmed, never decoded).
 * `secret`: the values are never shown in an error (headers often carry a token).
 */
export function parsePairs(variable: string, text: string, secret: boolean): Record<string, string> {
  const pairs: Record<string, string> = {}
  const entries = text.split(',')
  for (let i = 0; i < entries.length; i++) {
    const entry = (entries[i] as string).trim()
    if (entry === '') continue
    const eq = entry.indexOf('=')
    const key = eq === -1 ? '' : entry.slice(0, eq).trim()
    if (key === '') throw ConfigError.invalid(variable, `entry ${i + 1} is not key=value`)
    const raw = entry.slice(eq + 1).trim()
    try {
      pairs[key] = decodeURIComponent(raw)
    } catch {
      const shown = secret ? '' : ` (${describeValue(raw)})`
      throw ConfigError.invalid(variable, `the value of ${key} is not valid percent-encoding${shown}`)
    }
  }
  return pairs
}

/** A URL from a variable: absolute http(s), no user:password@ (never echoed: it may hold a token). */
export function envUrl(variable: string, text: string): URL {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw ConfigError.invalid(
      variable,
      `expected an absolute http(s) URL ('http://collector:4318${variable === ENV.ENDPOINT ? '' : '/v1/logs'}')`,
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw ConfigError.invalid(
      variable,
      'a URL with user:password@ is not accepted (it would leak into logs); use headers',
    )
  }
  return url
}

/**
 * The logs endpoint the environment gives: the signal-specific URL as it is, else the base
 * URL with `v1/logs` appended to its path (the specification's rule).
 */
export function envEndpoint(env: Environment): string | undefined {
  const logs = envValue(env, ENV.LOGS_ENDPOINT)
  if (logs !== undefined) return envUrl(ENV.LOGS_ENDPOINT, logs).href
  const base = envValue(env, ENV.ENDPOINT)
  if (base === undefined) return undefined
  const url = envUrl(ENV.ENDPOINT, base)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/logs`
  return url.href
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// The transport's own (see format and compression): the environment cannot set them.
const OWN_HEADERS: ReadonlySet<string> = new Set(['content-length', 'content-encoding', 'host', 'content-type'])

/**
 * The headers of OTEL_EXPORTER_OTLP_HEADERS, under those of OTEL_EXPORTER_OTLP_LOGS_HEADERS
 * (merged name by name, the signal-specific value winning), names lower-cased.
 */
export function envHeaders(env: Environment): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  for (const variable of [ENV.HEADERS, ENV.LOGS_HEADERS]) {
    const text = envValue(env, variable)
    if (text === undefined) continue
    for (const [name, value] of Object.entries(parsePairs(variable, text, true))) {
      if (!HEADER_NAME.test(name))
        throw ConfigError.invalid(variable, `${describeValue(name)} is not a valid HTTP header name`)
      const lower = name.toLowerCase()
      if (OWN_HEADERS.has(lower)) throw ConfigError.invalid(variable, `${name} is set by the transport`)
      // Never echo the value: it is often a token.
      if (/[\r\n\0]/.test(value)) throw ConfigError.invalid(variable, `the value of ${name} cannot hold CR, LF or NUL`)
      headers[lower] = value
    }
  }
  return Object.freeze(headers)
}
