export type { CliIo } from '@pino-advanced/core'

import { type CliIo, cliRules, packageVersion, parseFlags, runTransportCli, usageLines } from '@pino-advanced/core'
import { DropReasons } from './memory-buffer.js'
import { type MemoryBufferOptions, OPTIONS, resolveOptions } from './options.js'
import memoryBufferTransport from './transport.js'

export const USAGE = `usage: node app.js | pino-memory-buffer [options]

Holds pino lines from stdin and writes them to stdout (or --destination) when the buffer
is full, when a line at or above --flushLevel arrives, and at the end of the input.

${usageLines(OPTIONS)}
Options may also be written --flush-level, --flush-level=warn and so on.
`

const RULES = cliRules(OPTIONS)

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
