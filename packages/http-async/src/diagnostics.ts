import { createDiagnostics, type Diagnostics, tlsSecrets } from '@pino-advanced/core'
import { basicAuthorization } from './headers.js'
import type { ResolvedHttpAsyncOptions } from './options.js'

export const SOURCE = 'pino-advanced/http-async'

/**
 * What must never be printed: the password, the Authorization value built from it, every
 * configured header value (tokens, usually) and the TLS key material.
 */
export function secretsOf(options: ResolvedHttpAsyncOptions): string[] {
  const secrets: string[] = Object.values(options.headers)
  if (options.credentials) {
    secrets.push(options.credentials.password, basicAuthorization(options.credentials).slice('Basic '.length))
  }
  secrets.push(...tlsSecrets(options.tls))
  return secrets
}

/** This instance's stderr reporter (one per instance: no state shared between instances). */
export function httpAsyncDiagnostics(options: ResolvedHttpAsyncOptions, write?: (line: string) => void): Diagnostics {
  return createDiagnostics(
    write === undefined
      ? { source: SOURCE, secrets: secretsOf(options) }
      : { source: SOURCE, secrets: secretsOf(options), write },
  )
}
