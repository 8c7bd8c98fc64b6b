import { lineLevel } from '@pino-advanced/core'

/** How a buffer reads and joins its lines: text on the main thread, bytes in a worker stage. */
export interface LineCodec<L> {
  /** The pino level of one line; undefined when it has none (treated as below flushLevel). */
  levelOf(line: L): number | undefined
  /** Lines released together, as one chunk, byte for byte. */
  join(lines: readonly L[]): L
}

/** Lines as strings (what pino and pino.multistream write on the main thread). */
export const TEXT_LINES: LineCodec<string> = Object.freeze({
  levelOf: lineLevel,
  join: (lines: readonly string[]) => (lines.length === 1 ? (lines[0] as string) : lines.join('')),
})

// A Buffer needle: a string one would be encoded again on every search.
const LEVEL_KEY = Buffer.from('"level":')
// Room for the key and any level value pino writes (`"level":60,` or `"level":"fatal",`).
const LEVEL_WINDOW = 32

/**
 * The level of a line held as bytes, without decoding the line: the key is found in the bytes,
 * and core's lineLevel reads only the few bytes after it (latin1: the key and values are ASCII).
 */
export function bytesLevel(line: Buffer): number | undefined {
  const at = line.indexOf(LEVEL_KEY)
  if (at === -1) return undefined
  return lineLevel(line.toString('latin1', at, Math.min(line.length, at + LEVEL_WINDOW)))
}

/**
 * Joins byte lines, copying as little as it can: lines that sit next to each other in memory
 * (consecutive lines of one input chunk, the usual case) are one view, not a copy.
 */
export function joinBytes(lines: readonly Buffer[]): Buffer {
  const first = lines[0] as Buffer
  if (lines.length === 1) return first
  const runs: Buffer[] = []
  let memory = first.buffer
  let start = first.byteOffset
  let end = start + first.length
  for (let i = 1; i < lines.length; i++) {
    const next = lines[i] as Buffer
    if (next.buffer === memory && next.byteOffset === end) {
      end += next.length
      continue
    }
    runs.push(Buffer.from(memory, start, end - start))
    memory = next.buffer
    start = next.byteOffset
    end = start + next.length
  }
  const last = Buffer.from(memory, start, end - start)
  if (runs.length === 0) return last
  runs.push(last)
  return Buffer.concat(runs)
}

/**
 * Lines as bytes (what reaches a pipeline stage): no decoding and re-encoding of every record,
 * which cost a third of a pipeline's throughput when lines were strings.
 */
export const BYTE_LINES: LineCodec<Buffer> = Object.freeze({ levelOf: bytesLevel, join: joinBytes })
