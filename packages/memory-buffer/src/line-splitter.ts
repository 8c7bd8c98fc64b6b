/**
 * Cuts a byte stream into lines (each with its newline) as Buffer views: no decoding, no
 * copy, no stream event per line (split2, which pino-abstract-transport uses, decodes every
 * chunk and emits one event per line; that cost a third of a pipeline's throughput in
 * bench/memory-buffer.mjs). Held lines are contiguous in the input, so the chunks they point
 * into are the ones holding them, plus at most one chunk's worth at either end.
 */
export class LineSplitter {
  #rest: Buffer | undefined

  /** Calls `onLine` for every whole line in `chunk`, oldest first; keeps a trailing partial line. */
  feed(chunk: Buffer, onLine: (line: Buffer) => void): void {
    const buf = this.#rest === undefined ? chunk : Buffer.concat([this.#rest, chunk])
    let start = 0
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      onLine(buf.subarray(start, nl + 1))
      start = nl + 1
    }
    this.#rest = start === buf.length ? undefined : buf.subarray(start)
  }

  /** At the end of the input: the unterminated last piece, if any, as it came. */
  end(): Buffer | undefined {
    const rest = this.#rest
    this.#rest = undefined
    return rest
  }
}
