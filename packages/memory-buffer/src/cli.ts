export type { CliIo } from '@pino-advanced/core'

import { type CliIo, packageVersion, parseFlags, runTransportCli } from '@pino-advanced/core'
import { DropReasons } from './memory-buffer.js'
import type { MemoryBufferOptions } from './option-types.js'
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

const RULES = { numeric: NUMERIC }

/** `--flush-level=warn --capacity 5` as the transport's options (validated later). */
export function parseCliArgs(argv: readonly string[]): Record<string, unknown> {
  return parseFlags(argv, RULES)
}

/** Runs the command; resolves with the exit code (0, or 2 for a usage error). */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runTransportCli(argv, io, {
    ...RULES,
    name: 'pino-memory-buffer',
    version: packageVersion(import.meta.url),
    // A ring keeps the newest records by design: what it overwrites is not a failure.
    intendedDrops: new Set([DropReasons.RING_OVERWRITTEN, DropReasons.RING_MAX_BYTES]),
    usage: USAGE,
    defaults: { destination: 1 },
    validate: resolveOptions,
    // Validated first (validate), then built from the flags.
    start: (options) => memoryBufferTransport(options as unknown as MemoryBufferOptions),
  })
}
