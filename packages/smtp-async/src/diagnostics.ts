import { createDiagnostics, type Diagnostics, tlsSecrets } from '@pino-advanced/core'
import type { ResolvedSmtpOptions } from './options.js'

export const SOURCE = 'pino-advanced/smtp-async'

/** This instance's stderr reporter; the password and TLS key material are never printed. */
export function smtpDiagnostics(options: ResolvedSmtpOptions, write?: (line: string) => void): Diagnostics {
  const secrets = [...tlsSecrets(options.tls)]
  if (options.credentials) secrets.push(options.credentials.password)
  return createDiagnostics(write === undefined ? { source: SOURCE, secrets } : { source: SOURCE, secrets, write })
}
