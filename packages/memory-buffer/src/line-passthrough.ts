/**
 * pino-abstract-transport JSON.parses every line, even with `parse: 'lines'`, to fill its
 * metadata. This buffer only needs the level (core's lineLevel reads it off the text), so its
 * `parseLine` returns this constant instead: no parse, no allocation, and lines that are not
 * JSON are passed on instead of being dropped as 'unknown'. With `metadata: false` nothing
 * reads it; it must only be a non-null object.
 */
export const LINE_SEEN: object = Object.freeze({})

export function skipParse(): object {
  return LINE_SEEN
}
