import { CONTENT_TYPES } from './body.js'
import type { ResolvedHttpAsyncOptions } from './options.js'

/** `Basic base64(user:password)`, RFC 7617 with UTF-8. */
export function basicAuthorization(credentials: { readonly user: string; readonly password: string }): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`
}

/** The headers of every request: content type and encoding, Basic auth, then the user's own. */
export function requestHeaders(options: ResolvedHttpAsyncOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  if (options.method !== 'GET') {
    headers['content-type'] = CONTENT_TYPES[options.format]
    if (options.compression === 'gzip') headers['content-encoding'] = 'gzip'
  }
  if (options.credentials) headers.authorization = basicAuthorization(options.credentials)
  return Object.freeze({ ...headers, ...options.headers })
}
