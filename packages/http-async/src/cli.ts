export type { CliIo } from '@pino-advanced/core'

import { type CliIo, flagError, networkFlag, packageVersion, parseFlags, runTransportCli } from '@pino-advanced/core'
import type { HttpAsyncOptions } from './option-types.js'
import { resolveOptions } from './options.js'
import httpAsyncTransport from './transport.js'

export const USAGE = `usage: node app.js | pino-http-async --url URL [options]

Delivers pino lines from stdin to an HTTP endpoint, in batches, with retries; at the end of
the input, delivers what is held (within --closeTimeoutMs), then exits.

  --url URL                  absolute http(s) URL, or a path with --host
  --host HOST[:PORT]         Python's form: host, then --url /path (--secure for https)
  --secure                   with --host: https
  --method POST|PUT|GET      (default POST; GET: one request per record, fields as query)
  --header 'Name: value'     an extra header (repeatable)
  --credentials USER:PASS    HTTP Basic auth (prefer a header from a secret store)
  --format FORMAT            json (default), ndjson, otlp, loki, elasticsearch
  --compression none|gzip    (default none)
  --ca FILE                  trust this PEM CA file
  --maxBatchRecords N  --maxBatchBytes N  --flushIntervalMs N  --timeoutMs N
  --maxConcurrentRequests N  (default 8; 1: one request at a time, records in order)
  --maxBufferBytes N  --overflow drop-oldest|drop-newest  --maxRecordBytes N
  --maxRetries N  --retryBaseDelayMs N  --retryMaxDelayMs N  --closeTimeoutMs N  --statsName NAME
  --spool-dir DIR            durable spool: records on disk until delivered, sent first on the next start
  --spool-max-bytes N        the spool's bound on disk (default 1 GiB)
Options may also be written --max-batch-records, --format=ndjson and so on.
`

// Options whose command-line text means a number when it is all digits.
const NUMERIC = new Set([
  'maxBatchRecords',
  'maxBatchBytes',
  'flushIntervalMs',
  'maxConcurrentRequests',
  'timeoutMs',
  'maxBufferBytes',
  'maxRecordBytes',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'closeTimeoutMs',
])

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

const RULES = { numeric: NUMERIC, switches: new Set(['secure']), special }

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
