import { connect, type Socket } from 'node:net'
import { isMainThread } from 'node:worker_threads'
import nodemailer from 'nodemailer'
import type { MailContent } from './format.js'
import type { ResolvedSmtpOptions } from './options.js'
import { classifyMailError, type SendOutcome } from './outcome.js'

export interface Mailer {
  send(mail: MailContent): Promise<SendOutcome>
  /** Nothing left to send: let go of the pooled connections; the next mail opens the pool again. */
  release(): void
  close(): void
}

type GetSocket = (
  options: unknown,
  callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
) => void

/**
 * On the application's thread (a getLogger handler with `async: false`) the SMTP socket must
 * not hold the process open past its natural end: a server that never answers kept it alive
 * for `timeout`, retried, and again; getLogger's beforeExit close sends what is left, bounded,
 * instead. nodemailer takes an already connected socket from `getSocket` (TLS is still its
 * own: implicit TLS upgrades this socket, STARTTLS as usual). A worker is pino's to end.
 */
export function unrefSocket(host: string, port: number, timeoutMs: number): GetSocket {
  return (_options, callback) => {
    const socket = connect({ host, port })
    socket.unref()
    socket.setTimeout(timeoutMs)
    const fail = (err: Error) => {
      socket.destroy()
      callback(err)
    }
    const timedOut = () =>
      fail(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }))
    socket.once('error', fail)
    socket.once('timeout', timedOut)
    socket.once('connect', () => {
      socket.removeListener('error', fail)
      socket.removeListener('timeout', timedOut)
      socket.setTimeout(0)
      callback(null, { connection: socket })
    })
  }
}

/**
 * nodemailer's pooled SMTP transport, from the resolved options (one per transport instance).
 * The pool lives while mails are waiting: a burst (digests after the hourly cap, retries) goes
 * over one connection; once the queue is empty it is closed, because an idle pooled socket
 * held the application open for `timeout` seconds after its natural end.
 */
export function createMailer(options: ResolvedSmtpOptions): Mailer {
  const config = {
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
    ...(isMainThread ? { getSocket: unrefSocket(options.host, options.port, options.timeoutMs) } : {}),
  }
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined
  const release = () => {
    transport?.close()
    transport = undefined
  }
  return {
    async send(mail) {
      transport ??= nodemailer.createTransport(config)
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
    release,
    close: release,
  }
}
