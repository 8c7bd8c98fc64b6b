import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { BodyFormat } from './options.js'

const gzipAsync = promisify(gzip)

export const CONTENT_TYPES: Readonly<Record<BodyFormat, string>> = Object.freeze({
  json: 'application/json',
  ndjson: 'application/x-ndjson',
})

/**
 * The body of a batch, built from pino's lines as they are: each line is already one JSON
 * record, so a JSON array is the lines joined with commas. Nothing is parsed or re-serialised.
 */
export function batchBody(lines: readonly string[], format: BodyFormat): string {
  return format === 'json' ? `[${lines.join(',')}]` : `${lines.join('\n')}\n`
}

/** gzip off the event loop's thread (zlib's pool), so a large batch does not stall reading. */
export function gzipBody(body: string): Promise<Buffer> {
  return gzipAsync(body)
}
