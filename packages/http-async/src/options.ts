import { resolve } from 'node:path'
import {
  ConfigError,
  DEFAULT_CLOSE_TIMEOUT_MS,
  describeValue,
  MAX_CLOSE_MS,
  MAX_TIMER_MS,
  OVERFLOW_POLICIES,
  type OverflowPolicy,
  optionPath,
  type RawOptions,
  readCredentials,
  readEnum,
  readNumber,
  readObject,
  readString,
  readStringRecord,
  readTlsOptions,
  rejectUnknownKeys,
  requireString,
  type TlsOptions,
} from '@pino-advanced/core'
import { resolveEndpoint } from './endpoint.js'
import { type ResolvedElasticsearchOptions, readElasticsearchOptions } from './format/elasticsearch/options.js'
import { type ResolvedLokiOptions, readLokiOptions } from './format/loki/options.js'
import type { Environment } from './format/otlp/env.js'
import { type ResolvedOtlpOptions, resolveOtlp, withEnvHeaders } from './format/otlp/options.js'

/** Every option the transport accepts. */
export const OPTION_NAMES = [
  'url',
  'host',
  'secure',
  'method',
  'credentials',
  'headers',
  'format',
  'compression',
  'maxBatchRecords',
  'maxBatchBytes',
  'flushIntervalMs',
  'maxConcurrentRequests',
  'timeoutMs',
  'maxBufferBytes',
  'overflow',
  'maxRecordBytes',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'closeTimeoutMs',
  'statsName',
  'tls',
  'ca',
  'spool',
  'loki',
  'elasticsearch',
  'otlp',
] as const

export const SPOOL_OPTION_NAMES = ['dir', 'maxBytes'] as const

export type OptionName = (typeof OPTION_NAMES)[number]

export const METHODS = ['POST', 'PUT', 'GET'] as const
export type HttpMethod = (typeof METHODS)[number]
export const FORMATS = ['json', 'ndjson', 'loki', 'elasticsearch', 'otlp', 'form'] as const
export type BodyFormat = (typeof FORMATS)[number]
export const COMPRESSIONS = ['none', 'gzip'] as const
export type Compression = (typeof COMPRESSIONS)[number]

export interface ResolvedHttpAsyncOptions {
  /** `http://host:port` or `https://host:port`. */
  readonly origin: string
  /** Path and query sent on every request (`/log`, `/ingest?source=app`). */
  readonly path: string
  readonly method: HttpMethod
  readonly credentials: { readonly user: string; readonly password: string } | undefined
  /** Extra headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly format: BodyFormat
  readonly compression: Compression
  readonly maxBatchRecords: number
  readonly maxBatchBytes: number
  readonly flushIntervalMs: number
  /** Requests in flight at once at most; the window adapts within 1..this. */
  readonly maxConcurrentRequests: number
  readonly timeoutMs: number
  readonly maxBufferBytes: number
  readonly overflow: OverflowPolicy
  readonly maxRecordBytes: number
  /** Retries of one batch before it is dropped; undefined = retry until delivered or overflowed. */
  readonly maxRetries: number | undefined
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  readonly closeTimeoutMs: number
  readonly statsName: string
  /** TLS connect options for undici (`ca` folded in); undefined = Node's defaults, verified. */
  readonly tls: TlsOptions | undefined
  /** The durable spool (opt-in): records on disk until acknowledged. */
  readonly spool: ResolvedSpoolOptions | undefined
  /** Format `loki`'s options (labels, tenant...); undefined with another format. */
  readonly loki: ResolvedLokiOptions | undefined
  /** Format `elasticsearch`'s options (index, opType); undefined with another format. */
  readonly elasticsearch: ResolvedElasticsearchOptions | undefined
  /** Format `otlp`'s options (protocol, resource); undefined with another format. */
  readonly otlp: ResolvedOtlpOptions | undefined
}

export interface ResolvedSpoolOptions {
  /** Absolute. */
  readonly dir: string
  readonly maxBytes: number
  /** Where segment files rotate: an eighth of maxBytes, at most 1 MiB. */
  readonly segmentBytes: number
}

const MiB = 1024 * 1024

export const DEFAULTS = Object.freeze({
  method: 'POST',
  format: 'json',
  compression: 'none',
  maxBatchRecords: 1000,
  maxBatchBytes: MiB,
  flushIntervalMs: 1000,
  maxConcurrentRequests: 8,
  timeoutMs: 10_000,
  maxBufferBytes: 16 * MiB,
  overflow: 'drop-oldest',
  maxRecordBytes: MiB,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 30_000,
  closeTimeoutMs: DEFAULT_CLOSE_TIMEOUT_MS,
  statsName: 'http-async',
  spoolMaxBytes: 1024 * MiB,
} as const)

// A spool smaller than this could not hold a few segments of ordinary records.
const MIN_SPOOL_BYTES = 64 * 1024

// More requests at once than this would only open connections an endpoint must refuse.
const MAX_CONCURRENT_REQUESTS = 256

function invalid(option: string, message: string): ConfigError {
  return ConfigError.invalid(option, message)
}

function readHeaders(prefix: string, options: RawOptions, hasCredentials: boolean): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(readStringRecord(prefix, options, 'headers'))) {
    const option = optionPath(optionPath(prefix, 'headers'), name)
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalid(option, 'not a valid HTTP header name')
    // Never echo the value: it is often a token.
    if (/[\r\n\0]/.test(value)) throw invalid(option, 'a header value cannot hold CR, LF or NUL')
    const lower = name.toLowerCase()
    if (lower === 'content-length' || lower === 'content-encoding' || lower === 'host') {
      throw invalid(option, `${name} is set by the transport (see format and compression)`)
    }
    if (lower === 'authorization' && hasCredentials) {
      throw invalid(option, `give credentials or an Authorization header, not both`)
    }
    headers[lower] = value
  }
  return Object.freeze(headers)
}

function readSpool(prefix: string, options: RawOptions): ResolvedSpoolOptions | undefined {
  if (options.spool === undefined) return undefined
  const option = optionPath(prefix, 'spool')
  const spool = readObject(option, options.spool)
  rejectUnknownKeys(option, spool, SPOOL_OPTION_NAMES)
  const dir = resolve(requireString(option, spool, 'dir', 'a directory path (created if missing)'))
  const maxBytes = readNumber(option, spool, 'maxBytes', DEFAULTS.spoolMaxBytes, { min: MIN_SPOOL_BYTES })
  return Object.freeze({ dir, maxBytes, segmentBytes: Math.min(MiB, Math.floor(maxBytes / 8)) })
}

/** `method`, in any case as Python's HTTPHandler takes it ('post'), upper-cased. */
function readMethod(prefix: string, options: RawOptions): HttpMethod {
  const value = options.method
  if (value === undefined) return DEFAULTS.method
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined
  if (upper !== undefined && (METHODS as readonly string[]).includes(upper)) return upper as HttpMethod
  const option = optionPath(prefix, 'method')
  throw invalid(
    option,
    `received ${describeValue(value)}; expected one of ${METHODS.map((m) => `'${m}'`).join(', ')} (any case)`,
  )
}

/**
 * Validates and normalises the options of the HTTP transport, throwing a ConfigError that
 * names the option. `prefix` is where the options sit in a larger configuration (the preset
 * passes `http_handler`). With format 'otlp', `env`'s OTEL_EXPORTER_OTLP_* variables give
 * the defaults of url, headers, compression and otlp.protocol (see format/otlp/options.ts).
 */
export function resolveOptions(
  raw: unknown,
  prefix = '',
  env: Environment = process.env,
): Readonly<ResolvedHttpAsyncOptions> {
  const given = readObject(prefix === '' ? 'options' : prefix, raw)
  rejectUnknownKeys(prefix, given, OPTION_NAMES)
  const format = readEnum(prefix, given, 'format', FORMATS, DEFAULTS.format)
  // The environment's defaults (OTLP's) filled in where the user gave none.
  const method = readMethod(prefix, given)
  const resolved = resolveOtlp(prefix, given, format, env)
  const { otlp, headers: envHeaders } = resolved
  // The method upper-cased for the formats' own checks (Python writes 'post' or 'POST').
  const options = { ...resolved.options, method }
  const { origin, path } = resolveEndpoint(prefix, options)
  const credentials = readCredentials(prefix, options, 'credentials')
  if (credentials?.user.includes(':')) {
    throw invalid(optionPath(prefix, 'credentials'), 'the user name of Basic auth cannot contain ":"')
  }
  const maxBufferBytes = readNumber(prefix, options, 'maxBufferBytes', DEFAULTS.maxBufferBytes, { min: 1 })
  const maxRecordBytes = readNumber(
    prefix,
    options,
    'maxRecordBytes',
    Math.min(DEFAULTS.maxRecordBytes, maxBufferBytes),
    {
      min: 1,
    },
  )
  if (maxRecordBytes > maxBufferBytes) {
    throw invalid(
      optionPath(prefix, 'maxRecordBytes'),
      `received ${maxRecordBytes}; expected at most maxBufferBytes (${maxBufferBytes}): such a record could never be held`,
    )
  }
  const retryBaseDelayMs = readNumber(prefix, options, 'retryBaseDelayMs', DEFAULTS.retryBaseDelayMs, {
    min: 1,
    max: MAX_TIMER_MS,
  })
  const retryMaxDelayMs = readNumber(
    prefix,
    options,
    'retryMaxDelayMs',
    Math.max(DEFAULTS.retryMaxDelayMs, retryBaseDelayMs),
    {
      min: retryBaseDelayMs,
      max: MAX_TIMER_MS,
    },
  )
  return Object.freeze({
    origin,
    path,
    method,
    credentials,
    headers: withEnvHeaders(
      envHeaders,
      readHeaders(prefix, options, credentials !== undefined),
      credentials !== undefined,
    ),
    format,
    compression: readEnum(prefix, options, 'compression', COMPRESSIONS, DEFAULTS.compression),
    maxBatchRecords: readNumber(prefix, options, 'maxBatchRecords', DEFAULTS.maxBatchRecords, {
      min: 1,
      max: 10_000_000,
    }),
    maxBatchBytes: readNumber(prefix, options, 'maxBatchBytes', DEFAULTS.maxBatchBytes, { min: 1 }),
    flushIntervalMs: readNumber(prefix, options, 'flushIntervalMs', DEFAULTS.flushIntervalMs, { max: MAX_TIMER_MS }),
    maxConcurrentRequests: readNumber(prefix, options, 'maxConcurrentRequests', DEFAULTS.maxConcurrentRequests, {
      min: 1,
      max: MAX_CONCURRENT_REQUESTS,
    }),
    timeoutMs: readNumber(prefix, options, 'timeoutMs', DEFAULTS.timeoutMs, { min: 1, max: MAX_TIMER_MS }),
    maxBufferBytes,
    overflow: readEnum(prefix, options, 'overflow', OVERFLOW_POLICIES, DEFAULTS.overflow),
    maxRecordBytes,
    maxRetries: readNumber(prefix, options, 'maxRetries', undefined, { max: 1_000_000_000 }),
    retryBaseDelayMs,
    retryMaxDelayMs,
    closeTimeoutMs: readNumber(prefix, options, 'closeTimeoutMs', DEFAULTS.closeTimeoutMs, {
      min: 1,
      max: MAX_CLOSE_MS,
    }),
    statsName: readString(prefix, options, 'statsName', DEFAULTS.statsName),
    tls: readTlsOptions(prefix, options),
    spool: readSpool(prefix, options),
    // After format and method: it reads them (validated above).
    loki: readLokiOptions(prefix, options),
    elasticsearch: readElasticsearchOptions(prefix, options),
    otlp,
  })
}
