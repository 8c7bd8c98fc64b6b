import type { BodyEncoder } from './format/encoder.js'
import { createEncoder } from './format/formats.js'
import type { ResolvedHttpAsyncOptions } from './options.js'

/** `Basic base64(user:password)`, RFC 7617 with UTF-8. */
export function basicAuthorization(credentials: { readonly user: string; readonly password: string }): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`
}

/**
 * The headers of every request: content type and encoding, the protocol's own (Loki's tenant),
 * Basic auth, then the user's own.
 */
export function requestHeaders(
  options: ResolvedHttpAsyncOptions,
  encoder: BodyEncoder = createEncoder(options),
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  if (options.method !== 'GET') {
    headers['content-type'] = encoder.contentType
    if (options.compression === 'gzip') headers['content-encoding'] = 'gzip'
    Object.assign(headers, encoder.headers)
  }
  if (options.credentials) headers.authorization = basicAuthorization(options.credentials)
  return Object.freeze({ ...headers, ...options.headers })
}
