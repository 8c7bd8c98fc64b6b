import { isUtf8 } from 'node:buffer'

// What each byte of a line needs inside a JSON string: 0 none, 1 a backslash before it, 2 an
// escape sequence of its own (a control character), 3 none, but the line must be valid UTF-8.
const COPY = 0
const BACKSLASH = 1
const CONTROL = 2
const NON_ASCII = 3
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, c) =>
  c < 0x20 ? CONTROL : c === 0x22 || c === 0x5c ? BACKSLASH : c >= 0x80 ? NON_ASCII : COPY,
)
// JSON.stringify's short forms (\b \t \n \f \r); 0 where it writes \u00XX (lowercase hex).
const SHORT_ESCAPE = Uint8Array.from({ length: 0x20 }, (_, c) => '\b\t\n\f\r'.indexOf(String.fromCharCode(c)) + 1)
const SHORT_LETTERS = 'btnfr'
const HEX = '0123456789abcdef'
// Past this many units a string is escaped by JSON.stringify: a native call is then cheaper.
const SHORT_TEXT = 64

/**
 * A body written piece by piece into one buffer, reused from batch to batch: no string per
 * record, and a line's bytes go from pino's chunk into the body, escaped on the way.
 */
export class BodyWriter {
  #buffer = Buffer.allocUnsafe(64 * 1024)
  #at = 0

  /** Starts a new body. */
  reset(): void {
    this.#at = 0
  }

  /** Where the next byte goes; `rewind` goes back there. */
  get at(): number {
    return this.#at
  }

  rewind(at: number): void {
    this.#at = at
  }

  /** Text known to be ASCII (the format's punctuation, digits). */
  ascii(text: string): void {
    this.#room(text.length)
    const buffer = this.#buffer
    let at = this.#at
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i)
    this.#at = at
  }

  /** Bytes [start, end) of what was written, again. */
  again(start: number, end: number): void {
    this.#room(end - start)
    const buffer = this.#buffer
    let at = this.#at
    for (let i = start; i < end; i++) buffer[at++] = buffer[i] as number
    this.#at = at
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.#room(text.length * 3)
    this.#at += this.#buffer.write(text, this.#at)
  }

  /**
   * An integer in [0, 1e15) in decimal, zeros before it up to `width` digits: no string made,
   * no double arithmetic per digit.
   */
  digits(n: number, width = 0): void {
    const high = Math.floor(n / 1e8)
    if (high === 0) {
      this.#int(n, width)
      return
    }
    this.#int(high, width - 8)
    this.#int(n - high * 1e8, 8)
  }

  /** A string as JSON.stringify writes it; by hand when short, ASCII and without escapes. */
  quoted(text: string): void {
    if (text.length <= SHORT_TEXT) {
      this.#room(text.length + 2)
      const buffer = this.#buffer
      let at = this.#at
      buffer[at++] = 0x22
      let i = 0
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i)
        if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) break
        buffer[at++] = c
      }
      if (i === text.length) {
        buffer[at++] = 0x22
        this.#at = at
        return
      }
    }
    this.text(JSON.stringify(text))
  }

  /**
   * Bytes [start, end) of `source` as the inside of a JSON string, byte for byte what
   * JSON.stringify of their text writes. False, nothing written, when they are not valid UTF-8
   * (decoding replaced some: only the text says what was sent).
   */
  escaped(source: Uint8Array, start: number, end: number): boolean {
    // \u00XX: 6 bytes for one at most.
    this.#room((end - start) * 6)
    const buffer = this.#buffer
    const from = this.#at
    let at = from
    let ascii = true
    // Small integers, not the doubles batch offsets are (indexing with those is twice as slow):
    // a chunk is one write of pino's, a string's bytes, far below 2^31.
    let i = start | 0
    const stop = end | 0
    // The common byte first, the loop small: it is most of an encode.
    while (i < stop) {
      const c = source[i++] as number
      const kind = BYTE_CLASS[c]
      if (kind !== COPY) {
        if (kind === CONTROL) {
          at = control(buffer, at, c)
          continue
        }
        if (kind === BACKSLASH) buffer[at++] = 0x5c
        else ascii = false
      }
      buffer[at++] = c
    }
    if (!ascii && !isUtf8(source.subarray(start, end))) return false
    this.#at = at
    return true
  }

  /** The body: a copy, exactly its size (the buffer serves the next batch). */
  done(): Buffer {
    const body = Buffer.allocUnsafe(this.#at)
    this.#buffer.copy(body, 0, 0, this.#at)
    return body
  }

  /** `n` (below 2^31) in decimal, zeros before it up to `width` digits. */
  #int(n: number, width: number): void {
    let length = 1
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) length++
    if (length < width) length = width
    this.#room(length)
    const buffer = this.#buffer
    let rest = n | 0
    for (let at = this.#at + length - 1; at >= this.#at; at--) {
      buffer[at] = 0x30 + (rest % 10)
      rest = (rest / 10) | 0
    }
    this.#at += length
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes))
    this.#buffer.copy(bigger, 0, 0, this.#at)
    this.#buffer = bigger
  }
}

/** A control character's escape, at `at`; where the next byte goes. */
function control(buffer: Buffer, at: number, c: number): number {
  buffer[at++] = 0x5c
  const short = SHORT_ESCAPE[c] as number
  if (short !== 0) {
    buffer[at++] = SHORT_LETTERS.charCodeAt(short - 1)
    return at
  }
  buffer[at++] = 0x75 // u00XX
  buffer[at++] = 0x30
  buffer[at++] = 0x30
  buffer[at++] = HEX.charCodeAt(c >> 4)
  buffer[at++] = HEX.charCodeAt(c & 15)
  return at
}
