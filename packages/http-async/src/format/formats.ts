import type { ResolvedHttpAsyncOptions } from '../options.js'
import type { BodyEncoder } from './encoder.js'
import { jsonEncoder } from './json.js'

/** The encoder of the resolved `format` (its own options resolved with the rest). */
export function createEncoder(options: ResolvedHttpAsyncOptions): BodyEncoder {
  switch (options.format) {
    case 'json':
    case 'ndjson':
      return jsonEncoder(options.format)
  }
}
