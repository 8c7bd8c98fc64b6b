/**
 * What the encoder needs of a record, read from its bytes without parsing it: pino writes
 * `{"level":30,"time":1764720000000,...` with no spaces, so a key is `"name":` right after
 * `{` or `,` (a `"` inside a string is escaped, so that text cannot appear within one). A
 * scan for `"time":` costs about 40 ns a record where JSON.parse costs 1200 (a 230-byte
 * record, on this machine).
 */

const QUOTE = 0x22
const OPEN = 0x7b
const COMMA = 0x2c
const ZERO = 0x30
const NINE = 0x39

export const TIME_KEY: Uint8Array = Buffer.from('"time":')

// The Date range (±8.64e15 ms); a longer run of digits is no epoch time.
const MAX_DATE_MS = 8.64e15
const MAX_DIGITS = 16
// An ISO 8601 time is under 40 characters; a longer string is not read as one.
const MAX_TIME_TEXT = 40

/**
 * Where the value of the first key `key` (its bytes, quotes and colon included) begins within
 * [start, end), or -1. The first match is the top-level one for pino's lines: pino writes
 * `time` before any field of the application's.
 */
export function valueAt(bytes: Uint8Array, start: number, end: number, key: Uint8Array): number {
  const last = end - key.length
  outer: for (let i = start + 1; i <= last; i++) {
    if (bytes[i] !== QUOTE) continue
    const before = bytes[i - 1]
    if (before !== OPEN && before !== COMMA) continue
    for (let k = 1; k < key.length; k++) if (bytes[i + k] !== key[k]) continue outer
    return i + key.length
  }
  return -1
}

/**
 * The record's `time` as epoch milliseconds: pino's number (epoch ms, the default) or an ISO
 * 8601 string (`pino.stdTimeFunctions.isoTime`); -1 when it has none or it is not readable.
 */
export function recordTime(bytes: Uint8Array, start: number, end: number): number {
  let at = valueAt(bytes, start, end, TIME_KEY)
  if (at === -1 || at >= end) return -1
  if (bytes[at] === QUOTE) {
    const close = bytes.indexOf(QUOTE, at + 1)
    if (close === -1 || close >= end || close - at > MAX_TIME_TEXT) return -1
    const ms = Date.parse(Buffer.from(bytes.buffer, bytes.byteOffset + at + 1, close - at - 1).toString('latin1'))
    return Number.isNaN(ms) ? -1 : ms
  }
  const first = at
  let ms = 0
  while (at < end) {
    const c = bytes[at] as number
    if (c < ZERO || c > NINE) break
    ms = ms * 10 + (c - ZERO)
    at++
  }
  const digits = at - first
  return digits === 0 || digits > MAX_DIGITS || ms > MAX_DATE_MS ? -1 : ms
}

/**
 * Whether records have a key (`"@timestamp":`), asked of them in order. It is not near the
 * start as `time` is: the whole record is searched, natively, and where the answer lies past
 * the record's end it stands for the records after it in the same chunk: one pass over a
 * chunk, whatever its record count (a search to the chunk's end per record would cost as
 * many passes as records). 7 ns a record where a scan of each costs 230 (130-byte records,
 * a tenth with an e-mail address in them, on this machine).
 */
export class KeyFinder {
  readonly #key: Uint8Array
  #chunk: Uint8Array | undefined
  #from = 0
  #found = -1

  constructor(key: string) {
    this.#key = Buffer.from(key)
  }

  /** Whether [start, end) of `bytes` holds the key as a key (right after `{` or `,`). */
  has(bytes: Uint8Array, start: number, end: number): boolean {
    for (let at = this.#next(bytes, start); at !== -1 && at < end; at = this.#next(bytes, at + 1)) {
      const before = bytes[at - 1]
      if (before === OPEN || before === COMMA) return true
    }
    return false
  }

  /** Lets go of the chunk it holds. */
  reset(): void {
    this.#chunk = undefined
  }

  /** The first place of the key at or after `from` in `bytes`, or -1. */
  #next(bytes: Uint8Array, from: number): number {
    if (bytes === this.#chunk && from >= this.#from && (this.#found === -1 || from <= this.#found)) return this.#found
    this.#chunk = bytes
    this.#from = from
    this.#found = this.#search(bytes, from)
    return this.#found
  }

  // Its second byte (`@`, rare in JSON text) by memchr, each find checked: a search for the
  // whole key (Buffer.indexOf) is several times slower over a chunk.
  #search(bytes: Uint8Array, from: number): number {
    const key = this.#key
    const mark = key[1] as number
    outer: for (let at = bytes.indexOf(mark, from + 1); at !== -1; at = bytes.indexOf(mark, at + 1)) {
      const first = at - 1
      if (bytes[first] !== key[0]) continue
      for (let k = 2; k < key.length; k++) if (bytes[first + k] !== key[k]) continue outer
      return first
    }
    return -1
  }
}
