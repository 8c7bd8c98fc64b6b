/** Receives one line: bytes [start, end) of `chunk`. */
export type OnLine = (chunk: Buffer, start: number, end: number) => void

const NEWLINE = 0x0a
const CR = 0x0d

/**
 * Cuts a byte stream into lines (without their newline, or a trailing CR) without decoding it:
 * each line is given as its chunk and its range (no copy, no object per line). Only a line cut
 * across chunks is copied: each piece once as it arrives, joined once when its end arrives
 * (joining the whole next chunk to it each time made a 10 MB line quadratic). Empty lines are
 * skipped. RawLineSplitter keeps each line's bytes as they came, newline included.
 */
export class LineSplitter {
  /** The pieces of a line cut across chunks, oldest first. */
  #parts: Buffer[] = []

  /** The lines in bytes [from, to) of `chunk` (all of it by default); a partial last one is kept. */
  feed(chunk: Buffer, onLine: OnLine, from = 0, to = chunk.length): void {
    let start = from
    let nl = newline(chunk, start, to)
    if (this.#parts.length > 0) {
      if (nl === -1) {
        // Copied too: the chunk may be a buffer its owner writes again (a reused slab).
        this.#parts.push(Buffer.from(chunk.subarray(start, to)))
        return
      }
      const line = Buffer.concat([...this.#parts, chunk.subarray(start, nl)])
      this.#parts = []
      emit(line, 0, line.length, onLine)
      start = nl + 1
      nl = newline(chunk, start, to)
    }
    for (; nl !== -1; nl = newline(chunk, start, to)) {
      emit(chunk, start, nl, onLine)
      start = nl + 1
    }
    // Copied: a view would keep the whole chunk alive until the line is complete (and its
    // owner may write the chunk again).
    if (start < to) this.#parts.push(Buffer.from(chunk.subarray(start, to)))
  }

  /** The last line, when the stream did not end with a newline. */
  end(onLine: OnLine): void {
    if (this.#parts.length === 0) return
    const rest = Buffer.concat(this.#parts)
    this.#parts = []
    emit(rest, 0, rest.length, onLine)
  }
}

function newline(chunk: Buffer, start: number, to: number): number {
  const at = chunk.indexOf(NEWLINE, start)
  return at < to ? at : -1
}

function emit(data: Buffer, start: number, end: number, onLine: OnLine): void {
  const stop = end > start && data[end - 1] === CR ? end - 1 : end
  if (stop > start) onLine(data, start, stop)
}
