import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ConfigError } from '@pino-advanced/core'
import { resolveOptions } from './options.js'
import memoryBufferTransport from './transport.js'

export const USAGE = `usage: node app.js | pino-memory-buffer [options]

Holds pino lines from stdin and writes them to stdout (or --destination) when the buffer
is full, when a line at or above --flushLevel arrives, and at the end of the input.

  --capacity N          records held (default 100)
  --flushLevel LEVEL    release at or above this level (default error; pino or Python names)
  --flushIntervalMs N   also release this often (default 0: off; batch mode only)
  --maxBytes N          also release (batch) or evict (ring) at this many held bytes
  --mode batch|ring     ring keeps only the newest records, released on a flushLevel line
  --destination PATH|FD where released lines go (default 1: stdout)
  --statsName NAME      name in the stats (default memory-buffer)
  --closeTimeoutMs N    how long the end waits for the destination (default 5000)
Options may also be written --flush-level, --flush-level=warn and so on.
`

// Options whose command-line text means a number when it is all digits.
const NUMERIC = new Set(['capacity', 'flushIntervalMs', 'maxBytes', 'closeTimeoutMs', 'flushLevel', 'destination'])

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

/** `--flush-level=warn --capacity 5` as the transport's options (validated later). */
export function parseCliArgs(argv: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    // A stray word is reported as an unknown option by resolveOptions, like a typo.
    const key = camel(flag.replace(/^--?/, ''))
    const text = eq === -1 ? (argv[++i] ?? '') : arg.slice(eq + 1)
    options[key] = NUMERIC.has(key) && /^\d+$/.test(text) ? Number(text) : text
  }
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
    options = { destination: 1, ...parseCliArgs(argv) }
    resolveOptions(options)
  } catch (err) {
    // resolveOptions throws only ConfigErrors: a usage error, exit code 2 as is customary.
    io.stderr.write(`pino-memory-buffer: ${(err as ConfigError).message} (--help for usage)\n`)
    return 2
  }
  await pipeline(io.stdin, await memoryBufferTransport(options))
  return 0
}
