import { DROP_REASONS } from '@pino-advanced/core'

/** What became of one attempt to send a mail. */
export type SendOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string; readonly message: string }

// Connection-level failures: the server may be back in a moment.
const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET'])

interface MailError {
  readonly code?: unknown
  readonly responseCode?: unknown
  readonly message?: unknown
}

/**
 * 4xx replies (421 service unavailable, 451 try later...) and connection errors are retried;
 * 5xx replies (550 no such user, 535 bad credentials...) are final, as is a failed TLS check
 * (retrying a certificate that does not verify cannot help).
 */
export function classifyMailError(err: unknown): SendOutcome {
  const { code, responseCode, message } = (err ?? {}) as MailError
  const text = typeof message === 'string' ? message : String(err)
  if (typeof responseCode === 'number') {
    return { ok: false, retryable: responseCode < 500, reason: `smtp-${responseCode}`, message: text }
  }
  if (code === 'ETLS' || /certificate|self.signed|CERT_/i.test(text)) {
    return { ok: false, retryable: false, reason: DROP_REASONS.tls.name, message: text }
  }
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) {
    return { ok: false, retryable: true, reason: DROP_REASONS.connection.name, message: text }
  }
  return {
    ok: false,
    retryable: false,
    reason: typeof code === 'string' ? code.toLowerCase() : DROP_REASONS.error.name,
    message: text,
  }
}
