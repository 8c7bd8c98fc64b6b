/** Receives one line: bytes [start, end) of `chunk`. */
export type OnLine = (chunk: Buffer, start: number, end: number) => void

const NEWLINE = 0x0a
const CR = 0x0d

/**
 * Cuts a byte stream into lines (without their newline, or a trailing CR) without decoding it:
 * each line is given as its chunk and its range (no copy, no object per line); a line split
 * across chunks is joined once. Empty lines are skipped.
 */
export class LineSplitter {
  #rest: Buffer | undefined

  feed(chunk: Buffer, onLine: OnLine): void {
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
  end(onLine: OnLine): void {
    const rest = this.#rest
    this.#rest = undefined
    if (rest !== undefined) emit(rest, 0, rest.length, onLine)
  }
}

function emit(data: Buffer, start: number, end: number, onLine: OnLine): void {
  const stop = end > start && data[end - 1] === CR ? end - 1 : end
  if (stop > start) onLine(data, start, stop)
}
