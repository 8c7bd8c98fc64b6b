const TWO_32 = 4_294_967_296

// Strings shorter than this are written by hand (a native call costs more than their bytes)
// and take one byte of length: 3 bytes a UTF-16 unit at most, 39 * 3 < 128.
const SHORT_STRING = 40

/** The bytes of a varint of `n` (0 <= n < 2^32). */
function varintSize(n: number): number {
  let size = 1
  for (let rest = n >>> 7; rest !== 0; rest >>>= 7) size++
  return size
}

/**
 * Protocol buffers' wire format written straight into one buffer, reused from batch to batch.
 * A message's length is written where fork() kept room for it once its fields are written
 * (moved, the rare time it takes more or fewer bytes than kept): no second pass, no object
 * per field. The bytes are those of protobufjs's Writer, which this replaces.
 */
export class ProtoWriter {
  #buffer = Buffer.allocUnsafe(64 * 1024)
  #at = 0

  /** Starts a new message. */
  reset(): void {
    this.#at = 0
  }

  /** A varint below 2^32 (tags, lengths, small integers). */
  uint32(n: number): void {
    this.#room(5)
    const buffer = this.#buffer
    let at = this.#at
    let rest = n >>> 0
    while (rest > 0x7f) {
      buffer[at++] = (rest & 0x7f) | 0x80
      rest >>>= 7
    }
    buffer[at++] = rest
    this.#at = at
  }

  /** A safe integer as int64's varint: ten bytes, two's complement, for a negative one. */
  int64(n: number): void {
    const negative = n < 0
    const value = negative ? -n : n
    let low = value >>> 0
    let high = ((value - low) / TWO_32) >>> 0
    if (negative) {
      high = ~high >>> 0
      low = ~low >>> 0
      // -n is a safe integer above 0: its complement plus one never carries past 64 bits.
      if (++low > 0xffffffff) {
        low = 0
        high = (high + 1) >>> 0
      }
    }
    this.#room(10)
    const buffer = this.#buffer
    let at = this.#at
    while (high !== 0) {
      buffer[at++] = (low & 0x7f) | 0x80
      low = ((low >>> 7) | (high << 25)) >>> 0
      high >>>= 7
    }
    while (low > 0x7f) {
      buffer[at++] = (low & 0x7f) | 0x80
      low >>>= 7
    }
    buffer[at++] = low
    this.#at = at
  }

  /** 4 bytes, little-endian, of a value below 2^32. */
  fixed32(n: number): void {
    this.#room(4)
    this.#buffer.writeUInt32LE(n >>> 0, this.#at)
    this.#at += 4
  }

  double(n: number): void {
    this.#room(8)
    this.#buffer.writeDoubleLE(n, this.#at)
    this.#at += 8
  }

  /** Bytes given as hex digits (trace and span ids), their length first. */
  hexBytes(hex: string): void {
    const bytes = hex.length >> 1
    this.uint32(bytes)
    this.#room(bytes)
    this.#at += this.#buffer.write(hex, this.#at, bytes, 'hex')
  }

  /** A string, its length first: UTF-8 as protobufjs writes it (a lone surrogate in 3 bytes if short). */
  string(text: string): void {
    if (text.length >= SHORT_STRING) {
      const bytes = Buffer.byteLength(text)
      this.uint32(bytes)
      this.#room(bytes)
      this.#at += this.#buffer.write(text, this.#at)
      return
    }
    this.#room(1 + text.length * 3)
    const buffer = this.#buffer
    const start = this.#at
    let at = start + 1
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0x80) {
        at = utf8From(buffer, at, text, i)
        break
      }
      buffer[at++] = c
    }
    buffer[start] = at - start - 1
    this.#at = at
  }

  /** Keeps room for a length of `reserve` bytes; what fork returns goes to ldelim. */
  fork(reserve: number): number {
    this.#room(reserve)
    const start = this.#at
    this.#at += reserve
    return start
  }

  /** The length of what was written since fork(start), written before it. */
  ldelim(start: number, reserve: number): void {
    const content = start + reserve
    const length = this.#at - content
    const size = varintSize(length)
    if (size !== reserve) {
      this.#room(size - reserve)
      this.#buffer.copyWithin(start + size, content, this.#at)
      this.#at += size - reserve
    }
    const buffer = this.#buffer
    let at = start
    let rest = length
    while (rest > 0x7f) {
      buffer[at++] = (rest & 0x7f) | 0x80
      rest >>>= 7
    }
    buffer[at] = rest
  }

  /** The message: a copy, exactly its size (the buffer serves the next batch). */
  done(): Buffer {
    const body = Buffer.allocUnsafe(this.#at)
    this.#buffer.copy(body, 0, 0, this.#at)
    return body
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes))
    this.#buffer.copy(bigger, 0, 0, this.#at)
    this.#buffer = bigger
  }
}

/**
 * `text` from unit `i` on as UTF-8 at `at` (protobufjs's utf8.write, byte for byte: a lone
 * surrogate takes 3 bytes of its own); where the next byte goes.
 */
function utf8From(buffer: Buffer, start: number, text: string, from: number): number {
  let at = start
  for (let i = from; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) {
      buffer[at++] = c
    } else if (c < 0x800) {
      buffer[at++] = (c >> 6) | 0xc0
      buffer[at++] = (c & 0x3f) | 0x80
    } else if ((c & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c & 0x3ff) << 10) + (text.charCodeAt(++i) & 0x3ff)
      buffer[at++] = (c >> 18) | 0xf0
      buffer[at++] = ((c >> 12) & 0x3f) | 0x80
      buffer[at++] = ((c >> 6) & 0x3f) | 0x80
      buffer[at++] = (c & 0x3f) | 0x80
    } else {
      buffer[at++] = (c >> 12) | 0xe0
      buffer[at++] = ((c >> 6) & 0x3f) | 0x80
      buffer[at++] = (c & 0x3f) | 0x80
    }
  }
  return at
}
