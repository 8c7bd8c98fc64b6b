import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { BodyFormat } from './options.js'

const gzipAsync = promisify(gzip)

// The formats whose body is pino's lines as they are (the others encode: see format/).
export type LinesFormat = Extract<BodyFormat, 'json' | 'ndjson'>

export const CONTENT_TYPES: Readonly<Record<LinesFormat, string>> = Object.freeze({
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
  format: LinesFormat,
  ranges?: { readonly offsets: Float64Array; readonly sizes: Float64Array },
): Buffer {
  const json = format === 'json'
  const n = lines.length
  let size = json ? 2 + Math.max(0, n - 1) : n
  for (let i = 0; i < n; i++) size += ranges ? (ranges.sizes[i] as number) : (lines[i] as Uint8Array).byteLength
  const body = Buffer.allocUnsafe(size)
  let at = 0
  if (json) body[at++] = OPEN
  for (let i = 0; i < n; ) {
    if (json && i > 0) body[at++] = COMMA
    const line = lines[i] as Uint8Array
    if (ranges) {
      // Records i..next-1 lie one after another in one chunk: ONE copy for all of them, then
      // the newlines between them become commas for JSON.
      const next = runEnd(lines, i, ranges)
      const start = ranges.offsets[i] as number
      const end = (ranges.offsets[next - 1] as number) + (ranges.sizes[next - 1] as number)
      body.set(line.subarray(start, end), at)
      if (json) {
        for (let k = i; k < next - 1; k++) {
          body[at + (ranges.offsets[k] as number) + (ranges.sizes[k] as number) - start] = COMMA
        }
      }
      at += end - start
      i = next
    } else {
      body.set(line, at)
      at += line.byteLength
      i++
    }
    if (!json) body[at++] = NEWLINE
  }
  if (json) body[at++] = CLOSE
  return body
}

/**
 * The record after the run that starts at `first`: the records that follow it in the same
 * chunk with exactly a newline between each (the usual case: the lines of one input chunk).
 * A copy per record, and a view to copy from, made a 1000-record body half again as slow to
 * build (98 against 65 µs, in a microbenchmark on this machine).
 */
function runEnd(
  lines: readonly Uint8Array[],
  first: number,
  ranges: { readonly offsets: Float64Array; readonly sizes: Float64Array },
): number {
  const chunk = lines[first] as Uint8Array
  let end = (ranges.offsets[first] as number) + (ranges.sizes[first] as number)
  let next = first + 1
  while (next < lines.length && lines[next] === chunk && ranges.offsets[next] === end + 1 && chunk[end] === NEWLINE) {
    end += 1 + (ranges.sizes[next] as number)
    next++
  }
  return next
}

/** gzip off the event loop's thread (zlib's pool), so a large batch does not stall reading. */
export function gzipBody(body: Buffer): Promise<Buffer> {
  return gzipAsync(body)
}
