import { batchBody, CONTENT_TYPES } from '../body.js'
import type { BodyEncoder } from './encoder.js'

/** `json` (an array of the records) and `ndjson`: pino's lines as they are, nothing parsed. */
export function jsonEncoder(format: 'json' | 'ndjson'): BodyEncoder {
  return Object.freeze({
    contentType: CONTENT_TYPES[format],
    objectsOnly: format === 'json',
    encode: (records, batch) => batchBody(records, format, batch),
  } satisfies BodyEncoder)
}
