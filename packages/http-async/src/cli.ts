export type { CliIo } from '@pino-advanced/core'

import {
  type CliIo,
  cliRules,
  flagError,
  networkFlag,
  packageVersion,
  parseFlags,
  runTransportCli,
  usageLines,
} from '@pino-advanced/core'
import { type HttpAsyncOptions, OPTIONS, resolveOptions } from './options.js'
import httpAsyncTransport from './transport.js'

export const USAGE = `usage: node app.js | pino-http-async --url URL [options]

Delivers pino lines from stdin to an HTTP endpoint, in batches, with retries; at the end of
the input, delivers what is held (within --closeTimeoutMs), then exits.

${usageLines(OPTIONS)}
Options may also be written --max-batch-records, --format=ndjson and so on.
`

/** Flags that are more than text: repeatable headers, the spool's, and the network transports' own. */
function special(key: string, text: string, options: Record<string, unknown>): boolean {
  if (key === 'spoolDir' || key === 'spoolMaxBytes') {
    const spool = (options.spool ?? {}) as Record<string, unknown>
    if (key === 'spoolDir') spool.dir = text
    else spool.maxBytes = /^\d+$/.test(text) ? Number(text) : text
    options.spool = spool
    return true
  }
  if (key !== 'header') return networkFlag(key, text, options)
  const colon = text.indexOf(':')
  if (colon < 1) throw flagError('header', "expected 'Name: value'")
  const headers = (options.headers ?? {}) as Record<string, string>
  headers[text.slice(0, colon).trim()] = text.slice(colon + 1).trim()
  options.headers = headers
  return true
}

const RULES = { ...cliRules(OPTIONS), special }

/** `--url http://x --header 'X-Token: t' --max-retries=3` as the transport's options. */
export function parseCliArgs(argv: readonly string[]): Record<string, unknown> {
  return parseFlags(argv, RULES)
}

/** Runs the command; resolves with the exit code (0, or 2 for a usage error or an unreadable --ca file). */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runTransportCli(argv, io, {
    ...RULES,
    name: 'pino-http-async',
    version: packageVersion(import.meta.url),
    usage: USAGE,
    validate: resolveOptions,
    // Validated first (validate), then built from the flags.
    start: (options) => httpAsyncTransport(options as unknown as HttpAsyncOptions),
  })
}
