import {
  type CliIo,
  cliRules,
  networkFlag,
  packageVersion,
  parseFlags,
  runTransportCli,
  usageLines,
} from '@pino-advanced/core'
import { OPTIONS, resolveOptions, type SmtpAsyncOptions } from './options.js'
import smtpAsyncTransport from './transport.js'

export type { CliIo } from '@pino-advanced/core'

export const USAGE = `usage: node app.js | pino-smtp-async --mailhost HOST[:PORT] --fromaddr ADDR --toaddrs ADDR[,ADDR] [options]

Mails the pino lines from stdin at or above --level (default error): the first alert at once,
the ones that follow folded into digests; at the end of the input the pending digest is sent.

${usageLines(OPTIONS)}
Options may also be written --group-interval-ms, --level=warn and so on.
`

const RULES = { ...cliRules(OPTIONS), special: networkFlag }

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
