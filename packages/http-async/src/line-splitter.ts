const NEWLINE = 0x0a
const CR = 0x0d

/**
 * Cuts a byte stream into lines (without their newline, or a trailing CR) without decoding it:
 * each line is a view into the chunk it came in (no copy); a line split across chunks is
 * joined once. Empty lines are skipped.
 */
export class LineSplitter {
  #rest: Buffer | undefined

  feed(chunk: Buffer, onLine: (line: Buffer) => void): void {
    let data = chunk
    if (this.#rest !== undefined) {
      data = Buffer.concat([this.#rest, chunk])
      this.#rest = undefined
    }
    let start = 0
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      emit(data, start, nl, onLine)
      start = nl + 1
    }
    // Copied: a view would keep the whole chunk alive until the line is complete.
    if (start < data.length) this.#rest = Buffer.from(data.subarray(start))
  }

  /** The last line, when the stream did not end with a newline. */
  end(onLine: (line: Buffer) => void): void {
    const rest = this.#rest
    this.#rest = undefined
    if (rest !== undefined) emit(rest, 0, rest.length, onLine)
  }
}

function emit(data: Buffer, start: number, end: number, onLine: (line: Buffer) => void): void {
  const stop = end > start && data[end - 1] === CR ? end - 1 : end
  if (stop > start) onLine(data.subarray(start, stop))
}
