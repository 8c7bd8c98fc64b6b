import {
  ConfigError,
  optionPath,
  type RawOptions,
  readEnum,
  readObject,
  readString,
  rejectUnknownKeys,
} from '@pino-advanced/core'
import { compileIndexPattern } from './index-pattern.js'

export const ELASTICSEARCH_OPTION_NAMES = ['index', 'opType'] as const
export const OP_TYPES = ['index', 'create'] as const
export type OpType = (typeof OP_TYPES)[number]

/**
 * A daily index, as Logstash (`logstash-%{+yyyy.MM.dd}`) names them: old days go by deleting
 * an index, no lifecycle policy needed. Not `logs-...`: Elasticsearch's built-in `logs-*-*`
 * template makes such names data streams, which refuse opType 'index'.
 */
export const DEFAULT_INDEX = 'pino-%{+yyyy.MM.dd}'

export interface ResolvedElasticsearchOptions {
  /** An index name or a date pattern (see index-pattern.ts), checked. */
  readonly index: string
  /** `'create'` for data streams (and `@timestamp` is then added); default `'index'`. */
  readonly opType: OpType
}

/**
 * The `elasticsearch` sub-options: undefined unless `format` is 'elasticsearch'; given with
 * another format, a ConfigError (they would be silently ignored). The bulk API is a POST (or
 * PUT) body: GET, which sends each record as a query, cannot carry it.
 */
export function readElasticsearchOptions(
  prefix: string,
  options: RawOptions,
): ResolvedElasticsearchOptions | undefined {
  // Read after `format` and `method` were checked: each is absent or one of its values.
  const format = options.format ?? 'json'
  const option = optionPath(prefix, 'elasticsearch')
  if (format !== 'elasticsearch') {
    if (options.elasticsearch === undefined) return undefined
    throw ConfigError.invalid(option, `only read with format 'elasticsearch' (format is '${String(format)}')`)
  }
  if (options.method === 'GET') {
    const name = optionPath(prefix, 'method')
    throw ConfigError.invalid(name, `format 'elasticsearch' sends a bulk body: use 'POST' or 'PUT', not 'GET'`)
  }
  const raw = readObject(option, options.elasticsearch)
  rejectUnknownKeys(option, raw, ELASTICSEARCH_OPTION_NAMES)
  const index = readString(option, raw, 'index', DEFAULT_INDEX)
  compileIndexPattern(optionPath(option, 'index'), index)
  return Object.freeze({ index, opType: readEnum(option, raw, 'opType', OP_TYPES, 'index') })
}
