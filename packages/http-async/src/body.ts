import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { BodyFormat } from './options.js'

const gzipAsync = promisify(gzip)

export const CONTENT_TYPES: Readonly<Record<BodyFormat, string>> = Object.freeze({
  json: 'application/json',
  ndjson: 'application/x-ndjson',
})

const OPEN = 0x5b // [
const COMMA = 0x2c
const CLOSE = 0x5d // ]
const NEWLINE = 0x0a

/**
 * The body of a batch, built from pino's lines as they are (bytes, no newline): each line is
 * already one JSON record, so a JSON array is the lines joined with commas, NDJSON the lines
 * each followed by a newline. Nothing is parsed, re-serialised or even decoded: one copy.
 * With `ranges`, record i is bytes [offsets[i], offsets[i] + sizes[i]) of lines[i].
 */
export function batchBody(
  lines: readonly Uint8Array[],
  format: BodyFormat,
  ranges?: { readonly offsets: Float64Array; readonly sizes: Float64Array },
): Buffer {
  let size = format === 'json' ? 2 + Math.max(0, lines.length - 1) : lines.length
  for (let i = 0; i < lines.length; i++)
    size += ranges ? (ranges.sizes[i] as number) : (lines[i] as Uint8Array).byteLength
  const body = Buffer.allocUnsafe(size)
  let at = 0
  if (format === 'json') body[at++] = OPEN
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Uint8Array
    if (format === 'json' && i > 0) body[at++] = COMMA
    if (ranges) {
      // The record is a range of a shared chunk.
      const start = ranges.offsets[i] as number
      const length = ranges.sizes[i] as number
      body.set(line.subarray(start, start + length), at)
      at += length
    } else {
      body.set(line, at)
      at += line.byteLength
    }
    if (format === 'ndjson') body[at++] = NEWLINE
  }
  if (format === 'json') body[at++] = CLOSE
  return body
}

/** gzip off the event loop's thread (zlib's pool), so a large batch does not stall reading. */
export function gzipBody(body: Buffer): Promise<Buffer> {
  return gzipAsync(body)
}
