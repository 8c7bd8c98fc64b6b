import type { ResolvedHttpAsyncOptions } from '../options.js'
import { elasticsearchEncoder } from './elasticsearch/encode.js'
import type { BodyEncoder } from './encoder.js'
import { formEncoder } from './form.js'
import { jsonEncoder } from './json.js'
import { lokiEncoder } from './loki/encode.js'
import { otlpEncoder } from './otlp/encoder.js'

/** The encoder of the resolved `format` (its own options resolved with the rest). */
export function createEncoder(options: ResolvedHttpAsyncOptions): BodyEncoder {
  switch (options.format) {
    case 'json':
    case 'ndjson':
      return jsonEncoder(options.format)
    case 'loki':
      // resolveOptions sets `loki` whenever the format is loki.
      return lokiEncoder(options.loki as NonNullable<typeof options.loki>)
    case 'elasticsearch':
      // resolveOptions sets `elasticsearch` whenever the format is elasticsearch.
      return elasticsearchEncoder(options.elasticsearch as NonNullable<typeof options.elasticsearch>)
    case 'form':
      return formEncoder()
    case 'otlp':
      // resolveOptions sets `otlp` whenever the format is otlp.
      return otlpEncoder(options.otlp as NonNullable<typeof options.otlp>)
  }
}
