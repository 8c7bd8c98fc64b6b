/** One whole line: chunk[start, end), its newline included. */
export type OnSpan = (chunk: Buffer, start: number, end: number) => void

/**
 * Cuts a byte stream into lines, each with its newline and its bytes as they came (where
 * LineSplitter strips the newline and a CR and skips empty lines), as spans of the chunks they
 * came in: no decoding, no copy, no object and no stream event per line (split2, which
 * pino-abstract-transport uses, decodes every chunk and emits one event per line; that cost a
 * third of a pipeline's throughput in bench/memory-buffer.mjs). Held lines are contiguous in
 * the input, so the chunks they point into are the ones holding them, plus at most one chunk's
 * worth at either end.
 */
export class RawLineSplitter {
  /** The pieces of a line cut across chunks, oldest first (joined once, at its end). */
  #parts: Buffer[] = []

  /** Calls `onLine` for every whole line in `chunk`, oldest first; keeps a trailing partial line. */
  feed(chunk: Buffer, onLine: OnSpan): void {
    let start = 0
    let nl = chunk.indexOf(10)
    if (this.#parts.length > 0) {
      // Only the line cut across chunks is copied, never the whole new chunk, and only once
      // (joining at every chunk made a 10 MB line quadratic).
      if (nl === -1) {
        this.#parts.push(chunk)
        return
      }
      this.#parts.push(chunk.subarray(0, nl + 1))
      const line = Buffer.concat(this.#parts)
      this.#parts = []
      onLine(line, 0, line.length)
      start = nl + 1
      nl = chunk.indexOf(10, start)
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      onLine(chunk, start, nl + 1)
      start = nl + 1
    }
    if (start < chunk.length) this.#parts.push(chunk.subarray(start))
  }

  /** At the end of the input: the unterminated last piece, if any, as it came. */
  end(): Buffer | undefined {
    if (this.#parts.length === 0) return undefined
    const rest = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts)
    this.#parts = []
    return rest
  }
}
