import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ConfigError } from '@pino-advanced/core'
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
  --format json|ndjson       body format (default json)
  --compression none|gzip    (default none)
  --ca FILE                  trust this PEM CA file
  --maxBatchRecords N  --maxBatchBytes N  --flushIntervalMs N  --timeoutMs N
  --maxBufferBytes N  --overflow drop-oldest|drop-newest  --maxRecordBytes N
  --maxRetries N  --retryBaseDelayMs N  --retryMaxDelayMs N  --closeTimeoutMs N  --statsName NAME
Options may also be written --max-batch-records, --format=ndjson and so on.
`

// Options whose command-line text means a number when it is all digits.
const NUMERIC = new Set([
  'maxBatchRecords',
  'maxBatchBytes',
  'flushIntervalMs',
  'timeoutMs',
  'maxBufferBytes',
  'maxRecordBytes',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'closeTimeoutMs',
])

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

function usageError(option: string, message: string): ConfigError {
  return new ConfigError('PA_INVALID_OPTION', option, `${option}: ${message}`)
}

/** `--url http://x --header 'X-Token: t' --max-retries=3` as the transport's options. */
export function parseCliArgs(argv: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  const headers: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    // A stray word is reported as an unknown option by resolveOptions, like a typo.
    const key = camel(flag.replace(/^--?/, ''))
    if (key === 'secure' && eq === -1) {
      options.secure = true
      continue
    }
    const text = eq === -1 ? (argv[++i] ?? '') : arg.slice(eq + 1)
    if (key === 'header') {
      const colon = text.indexOf(':')
      if (colon < 1) throw usageError('header', "expected 'Name: value'")
      headers[text.slice(0, colon).trim()] = text.slice(colon + 1).trim()
    } else if (key === 'credentials') {
      const colon = text.indexOf(':')
      // Never echo the value: it holds a password.
      if (colon < 1) throw usageError('credentials', 'expected USER:PASSWORD')
      options.credentials = [text.slice(0, colon), text.slice(colon + 1)]
    } else if (key === 'ca') {
      options.ca = readFileSync(text, 'utf8')
    } else if (key === 'secure') {
      options.secure = text === 'true'
    } else {
      options[key] = NUMERIC.has(key) && /^\d+$/.test(text) ? Number(text) : text
    }
  }
  if (Object.keys(headers).length > 0) options.headers = headers
  return options
}

export interface CliIo {
  readonly stdin: Readable
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
}

/** Runs the command; resolves with the exit code (0, or 2 for a usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(USAGE)
    return 0
  }
  let options: Record<string, unknown>
  try {
    options = parseCliArgs(argv)
    resolveOptions(options)
  } catch (err) {
    // A usage error (a ConfigError, or an unreadable --ca file): exit code 2 as is customary.
    io.stderr.write(`pino-http-async: ${(err as Error).message} (--help for usage)\n`)
    return 2
  }
  await pipeline(io.stdin, await httpAsyncTransport(options))
  return 0
}
