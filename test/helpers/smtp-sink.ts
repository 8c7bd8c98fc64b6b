/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, port 0 unless `port` is given), every
 * accepted mail parsed with mailparser's simpleParser.
 *
 *   const sink = await startSmtpSink({ script: [421] })     // first DATA answered 421, then accepted
 *   // ... point a transport at mailhost: ['127.0.0.1', sink.port] ...
 *   const [mail] = await sink.waitForMessages(1, 5000)       // rejects at the bound
 *   mail.subject, mail.from?.text, mail.attachments[0].content
 *   await sink.close()
 *
 * Options:
 * - `secure: true`: implicit TLS (TLS from the first byte, as on port 465).
 * - `starttls: true`: STARTTLS is offered; otherwise the command is disabled (plain only).
 * - `key` / `cert`: PEM for TLS (see certs.ts); smtp-server's built-in test cert otherwise.
 * - `auth: { user, pass }`: AUTH is required and checked (535 on a wrong pair; allowed without
 *   TLS too). Without it AUTH is disabled. Every attempt is recorded in `authAttempts`
 *   (method, username, ok; never the password).
 * - `script`: the replies to the DATA of the first mails, in order: a number is the SMTP reply
 *   (250 accepts; anything else is given as an error with that `responseCode`, 421 or 550 say),
 *   `'hang'` never answers (until close), `'drop'` destroys the connection after the data.
 *   Once the script is used up every mail is accepted.
 * - `port`: a fixed port (465 to test implicit TLS as the transport decides it; needs root).
 * - `requestCert: true`: TLS asks the client for a certificate (not verified); the subject CN
 *   of each mail's client certificate is recorded in `clientCertificates` ('' for none).
 *
 * `messages` holds the accepted mails (ParsedMail) in arrival order; `dataCount` counts every
 * DATA received, answered or not. `close()` destroys open connections (a hung one too).
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type SmtpScriptStep = number | 'hang' | 'drop'

export interface SmtpSinkOptions {
  readonly secure?: boolean
  readonly starttls?: boolean
  readonly key?: string
  readonly cert?: string
  readonly auth?: { readonly user: string; readonly pass: string }
  readonly script?: readonly SmtpScriptStep[]
  readonly port?: number
  readonly requestCert?: boolean
}

export interface AuthAttempt {
  readonly method: string
  readonly username: string | undefined
  readonly ok: boolean
}

export interface SmtpSink {
  readonly port: number
  readonly messages: ParsedMail[]
  readonly authAttempts: AuthAttempt[]
  readonly clientCertificates: string[]
  /** DATA commands received (every mail attempt that got that far). */
  readonly dataCount: number
  waitForMessages(n: number, timeoutMs?: number): Promise<ParsedMail[]>
  /** Resolves once `n` DATA commands arrived (answered or not: a hung one too); rejects at the bound. */
  waitForData(n: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const script = [...(opts.script ?? [])]
  const messages: ParsedMail[] = []
  const authAttempts: AuthAttempt[] = []
  const clientCertificates: string[] = []
  const waiters = new Set<() => void>()
  let dataCount = 0
  const disabledCommands = [...(opts.starttls && !opts.secure ? [] : ['STARTTLS']), ...(opts.auth ? [] : ['AUTH'])]

  const server: SMTPServer = new SMTPServer({
    logger: false,
    secure: opts.secure ?? false,
    ...(opts.key === undefined ? {} : { key: opts.key }),
    ...(opts.cert === undefined ? {} : { cert: opts.cert }),
    disabledCommands,
    ...(opts.requestCert ? { requestCert: true, rejectUnauthorized: false } : {}),
    authOptional: opts.auth === undefined,
    allowInsecureAuth: true,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      const ok = auth.username === opts.auth?.user && auth.password === opts.auth?.pass
      authAttempts.push({ method: auth.method, username: auth.username, ok })
      if (ok) callback(null, { user: auth.username })
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onData(stream, session, callback) {
      dataCount++
      if (opts.requestCert) {
        for (const connection of server.connections) {
          if (connection.id !== session.id) continue
          const peer = connection._socket as { getPeerCertificate?: () => { subject?: { CN?: string } } }
          clientCertificates.push(peer.getPeerCertificate?.()?.subject?.CN ?? '')
        }
      }
      for (const check of waiters) check()
      const step = script.shift() ?? 250
      if (step === 'hang' || step === 'drop') {
        stream.resume()
        if (step === 'drop') {
          stream.on('end', () => {
            for (const connection of server.connections) {
              if (connection.id === session.id) connection._socket.destroy()
            }
          })
        }
        return
      }
      simpleParser(stream).then(
        (mail) => {
          if (step !== 250) {
            callback(Object.assign(new Error(`scripted reply ${step}`), { responseCode: step }))
            return
          }
          messages.push(mail)
          callback()
          for (const check of waiters) check()
        },
        (err: Error) => callback(err),
      )
    },
  })
  function waitFor(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`expected ${what} within ${timeoutMs} ms; got ${messages.length} mail(s), ${dataCount} DATA`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })
  }

  server.on('error', () => {})
  server.listen(opts.port ?? 0, '127.0.0.1')
  await Promise.race([
    once(server.server, 'listening'),
    once(server.server, 'error').then(([err]) => Promise.reject(err as Error)),
  ])
  const port = (server.server.address() as AddressInfo).port

  return {
    port,
    messages,
    authAttempts,
    clientCertificates,
    get dataCount() {
      return dataCount
    },
    waitForMessages(n, timeoutMs = 5000) {
      return waitFor(() => messages.length >= n, `${n} mail(s)`, timeoutMs).then(() => messages)
    },
    waitForData(n, timeoutMs = 5000) {
      return waitFor(() => dataCount >= n, `${n} DATA command(s)`, timeoutMs)
    },
    close() {
      for (const connection of server.connections) connection._socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
