import { type CliIo, networkFlag, packageVersion, parseFlags, runTransportCli } from '@pino-advanced/core'
import type { SmtpAsyncOptions } from './option-types.js'
import { resolveOptions } from './options.js'
import smtpAsyncTransport from './transport.js'

export type { CliIo } from '@pino-advanced/core'

export const USAGE = `usage: node app.js | pino-smtp-async --mailhost HOST[:PORT] --fromaddr ADDR --toaddrs ADDR[,ADDR] [options]

Mails the pino lines from stdin at or above --level (default error): the first alert at once,
the ones that follow folded into digests; at the end of the input the pending digest is sent.

  --mailhost HOST[:PORT]     SMTP server (port 25 by default; 465 means implicit TLS)
  --fromaddr ADDR            sender
  --toaddrs ADDR[,ADDR]      recipients
  --subject TEMPLATE         with {level} {msg} {name} {hostname} {count} (default '[{level}] {msg}')
  --credentials USER:PASS    SMTP AUTH (prefer an environment variable in a wrapper script)
  --secure                   require STARTTLS
  --ca FILE                  trust this PEM CA file
  --timeout SECONDS          connection and reply timeout (default 5)
  --level LEVEL  --groupIntervalMs N  --maxEmailsPerHour N  --maxRecordsPerEmail N
  --maxRetries N  --retryBaseDelayMs N  --retryMaxDelayMs N  --closeTimeoutMs N  --statsName NAME
Options may also be written --group-interval-ms, --level=warn and so on.
`

// Options whose command-line text means a number when it is all digits.
const NUMERIC = new Set([
  'timeout',
  'groupIntervalMs',
  'maxEmailsPerHour',
  'maxRecordsPerEmail',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'closeTimeoutMs',
  'level',
])

const RULES = { numeric: NUMERIC, switches: new Set(['secure']), special: networkFlag }

/** `--mailhost smtp.example.com:587 --toaddrs a@x,b@x --secure` as the transport's options. */
export function parseCliArgs(argv: readonly string[]): Record<string, unknown> {
  return parseFlags(argv, RULES)
}

/** Runs the command; resolves with the exit code (0, or 2 for a usage error). */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runTransportCli(argv, io, {
    ...RULES,
    name: 'pino-smtp-async',
    version: packageVersion(import.meta.url),
    usage: USAGE,
    validate: resolveOptions,
    // Validated first (validate), then built from the flags.
    start: (options) => smtpAsyncTransport(options as unknown as SmtpAsyncOptions),
  })
}
