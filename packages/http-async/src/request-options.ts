import { ConfigError, optionPath, type RawOptions, type ReadContext, readStringRecord } from '@pino-advanced/core'

// What every request carries besides the body: its method and the user's headers.

export const METHODS = ['POST', 'PUT', 'GET'] as const
export type HttpMethod = (typeof METHODS)[number]

export function readHeaders(
  prefix: string,
  options: RawOptions,
  hasCredentials: boolean,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(readStringRecord(prefix, options, 'headers'))) {
    const option = optionPath(optionPath(prefix, 'headers'), name)
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw ConfigError.invalid(option, 'not a valid HTTP header name')
    // Never echo the value: it is often a token.
    if (/[\r\n\0]/.test(value)) throw ConfigError.invalid(option, 'a header value cannot hold CR, LF or NUL')
    const lower = name.toLowerCase()
    if (lower === 'content-length' || lower === 'content-encoding' || lower === 'host') {
      throw ConfigError.invalid(option, `${name} is set by the transport (see format and compression)`)
    }
    if (lower === 'authorization' && hasCredentials) {
      throw ConfigError.invalid(option, `give credentials or an Authorization header, not both`)
    }
    headers[lower] = value
  }
  return Object.freeze(headers)
}

/** `method`, in any case as Python's HTTPHandler takes it ('post'), upper-cased. */
export function readMethod(prefix: string, options: RawOptions): HttpMethod {
  const value = options.method
  if (value === undefined) return 'POST'
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined
  if (upper !== undefined && (METHODS as readonly string[]).includes(upper)) return upper as HttpMethod
  const option = optionPath(prefix, 'method')
  throw ConfigError.received(option, value, `one of ${METHODS.map((m) => `'${m}'`).join(', ')} (any case)`)
}

/** The options as the formats' readers check them: the method upper-cased (Python writes 'post'). */
export function withMethod(options: RawOptions, context: ReadContext): RawOptions {
  return { ...options, method: context.resolved.method }
}
