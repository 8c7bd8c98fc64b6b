/**
 * A body written piece by piece into one buffer. Concatenating the pieces into one string
 * first made V8 flatten a rope of thousands of parts, then encode it: three times as slow
 * for a 1000-record batch (1057 against 352 µs, measured on this machine).
 */
export class BodyWriter {
  #buffer: Buffer
  #at = 0

  /** `chars`: the UTF-16 length of everything to be written, about (ASCII needs no more). */
  constructor(chars: number) {
    this.#buffer = Buffer.allocUnsafe(chars)
  }

  write(text: string): void {
    // A character takes 3 bytes at most: only near the end is the exact size worth counting.
    if (this.#at + text.length * 3 > this.#buffer.length) this.#room(Buffer.byteLength(text))
    this.#at += this.#buffer.write(text, this.#at)
  }

  /** The body, without the space left over. */
  done(): Buffer {
    return this.#buffer.subarray(0, this.#at)
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes))
    this.#buffer.copy(bigger, 0, 0, this.#at)
    this.#buffer = bigger
  }
}
