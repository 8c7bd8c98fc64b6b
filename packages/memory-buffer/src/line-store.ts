import { lineLevel } from '@pino-advanced/core'

/**
 * The lines a MemoryBuffer holds, oldest first, released joined into one chunk byte for byte:
 * text on the main thread, byte spans in a worker. The buffer decides when; the store keeps.
 */
export interface LineStore<Out> {
  /** Lines held. */
  readonly size: number
  /** UTF-8 bytes held (0 for a TextLines that was not asked to count them). */
  readonly bytes: number
  /** Forgets the oldest line (ring eviction). */
  dropOldest(): void
  /** Everything held, joined, and the store empty. Only called when size > 0. */
  drain(): Out
}

// Ring eviction (dropOldest) advances a head and compacts once the dead prefix is as long as
// the live part: dropping the oldest costs O(1) amortised instead of Array.shift's O(n).

/** Lines as strings (what pino and pino.multistream write on the main thread). */
export class TextLines implements LineStore<string> {
  #lines: string[] = []
  #head = 0
  #bytes = 0

  /** `countBytes`: keep `bytes` (a Buffer.byteLength per line, so only when maxBytes needs it). */
  constructor(readonly countBytes: boolean) {}

  get size(): number {
    return this.#lines.length - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  push(line: string): void {
    this.#lines.push(line)
    if (this.countBytes) this.#bytes += Buffer.byteLength(line)
  }

  dropOldest(): void {
    if (this.countBytes) this.#bytes -= Buffer.byteLength(this.#lines[this.#head] as string)
    // Let go of the line now, not at the next compaction: maxBytes bounds real memory.
    this.#lines[this.#head] = ''
    this.#head++
    if (this.#head >= this.size) {
      this.#lines = this.#lines.slice(this.#head)
      this.#head = 0
    }
  }

  drain(): string {
    const out = this.#head === 0 ? this.#lines : this.#lines.slice(this.#head)
    this.#lines = []
    this.#head = 0
    this.#bytes = 0
    return out.length === 1 ? (out[0] as string) : out.join('')
  }
}

/**
 * Lines as spans of the byte chunks they arrived in (what reaches a worker stage): no decoding,
 * and no Buffer object per line. Creating a view per line was the largest cost left in the
 * stage after its level fast path (bench/memory-buffer.mjs).
 */
export class ByteSpans implements LineStore<Buffer> {
  #chunks: Buffer[] = []
  #starts: number[] = []
  #ends: number[] = []
  #head = 0
  #bytes = 0

  get size(): number {
    return this.#chunks.length - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  /** The line `chunk[start, end)`, its newline included. */
  push(chunk: Buffer, start: number, end: number): void {
    this.#chunks.push(chunk)
    this.#starts.push(start)
    this.#ends.push(end)
    this.#bytes += end - start
  }

  dropOldest(): void {
    const head = this.#head
    this.#bytes -= (this.#ends[head] as number) - (this.#starts[head] as number)
    // Let go of the chunk now, not at the next compaction: maxBytes bounds real memory.
    this.#chunks[head] = EMPTY
    this.#head = head + 1
    if (this.#head >= this.size) {
      this.#chunks = this.#chunks.slice(this.#head)
      this.#starts = this.#starts.slice(this.#head)
      this.#ends = this.#ends.slice(this.#head)
      this.#head = 0
    }
  }

  /** Lines next to each other in one chunk (the usual case) are one view, not a copy. */
  drain(): Buffer {
    const runs: Buffer[] = []
    let chunk = this.#chunks[this.#head] as Buffer
    let start = this.#starts[this.#head] as number
    let end = this.#ends[this.#head] as number
    for (let i = this.#head + 1; i < this.#chunks.length; i++) {
      const next = this.#chunks[i] as Buffer
      const nextStart = this.#starts[i] as number
      if (next === chunk && nextStart === end) {
        end = this.#ends[i] as number
        continue
      }
      runs.push(chunk.subarray(start, end))
      chunk = next
      start = nextStart
      end = this.#ends[i] as number
    }
    this.#chunks = []
    this.#starts = []
    this.#ends = []
    this.#head = 0
    this.#bytes = 0
    const last = chunk.subarray(start, end)
    if (runs.length === 0) return last
    runs.push(last)
    return Buffer.concat(runs)
  }
}

const EMPTY = Buffer.alloc(0)

// What pino writes first in every record by default.
const PINO_START = Buffer.from('{"level":')
// A Buffer needle: a string one would be encoded again on every search.
const LEVEL_KEY = Buffer.from('"level":')
// Room for the key and any level value pino writes (`"level":60,` or `"level":"fatal",`).
const LEVEL_WINDOW = 32

/** Whether chunk[start, end) starts with `{"level":` (byte compares: cheaper than a native call). */
function startsWithLevel(chunk: Buffer, start: number, end: number): boolean {
  if (end - start <= PINO_START.length) return false
  for (let i = 0; i < PINO_START.length; i++) if (chunk[start + i] !== PINO_START[i]) return false
  return true
}

/**
 * The level of the line chunk[start, end) without decoding it. pino's usual start,
 * `{"level":30`, is read in place (searching for the key cost more than the rest of the stage);
 * otherwise the key is found within the line and core's lineLevel reads only the few bytes
 * after it (latin1: the key and values are ASCII).
 */
export function spanLevel(chunk: Buffer, start: number, end: number): number | undefined {
  if (startsWithLevel(chunk, start, end)) {
    let i = start + PINO_START.length
    let c = chunk[i] as number
    if (c >= 48 && c <= 57) {
      let n = 0
      for (; c >= 48 && c <= 57 && i < end; c = chunk[++i] as number) n = n * 10 + (c - 48)
      return n
    }
  }
  // Searched within the line only: a line with no level must not scan the rest of the chunk.
  const at = chunk.subarray(start, end).indexOf(LEVEL_KEY)
  if (at === -1) return undefined
  return lineLevel(chunk.toString('latin1', start + at, Math.min(end, start + at + LEVEL_WINDOW)))
}
