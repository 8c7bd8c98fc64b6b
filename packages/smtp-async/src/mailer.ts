import nodemailer from 'nodemailer'
import type { MailContent } from './format.js'
import type { ResolvedSmtpOptions } from './options.js'
import { classifyMailError, type SendOutcome } from './outcome.js'

export interface Mailer {
  send(mail: MailContent): Promise<SendOutcome>
  close(): void
}

/** nodemailer's pooled SMTP transport, from the resolved options (one per transport instance). */
export function createMailer(options: ResolvedSmtpOptions): Mailer {
  const transport = nodemailer.createTransport({
    ...options.transportOptions,
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.tlsMode === 'implicit',
    requireTLS: options.tlsMode === 'starttls',
    ...(options.credentials ? { auth: { user: options.credentials.user, pass: options.credentials.password } } : {}),
    ...(options.tls ? { tls: { ...options.tls } as Record<string, unknown> } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    logger: false,
    debug: false,
  })
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: mail.subject,
          text: mail.text,
          attachments: [{ filename: 'records.ndjson', content: mail.ndjson, contentType: 'application/x-ndjson' }],
        })
        return { ok: true }
      } catch (err) {
        return classifyMailError(err)
      }
    },
    close: () => transport.close(),
  }
}
