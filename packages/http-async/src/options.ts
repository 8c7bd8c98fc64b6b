import { resolve } from 'node:path'
import {
  ConfigError,
  closeTimeoutOption,
  credentialsOption,
  customOption,
  describeValue,
  enumOption,
  MAX_TIMER_MS,
  numberOption,
  type OptionsOf,
  OVERFLOW_POLICIES,
  type OverflowPolicy,
  optionNames,
  optionPath,
  type RawOptions,
  type ReadContext,
  readBoolean,
  readEnum,
  readNumber,
  readObject,
  readOptionTable,
  readStringRecord,
  rejectUnknownKeys,
  requireString,
  retryDelayOptions,
  statsNameOption,
  stringOption,
  type TlsOptions,
  tlsOptions,
} from '@pino-advanced/core'
import { resolveEndpoint } from './endpoint.js'
import {
  DEFAULT_INDEX,
  type ResolvedElasticsearchOptions,
  readElasticsearchOptions,
} from './format/elasticsearch/options.js'
import { type ResolvedLokiOptions, readLokiOptions } from './format/loki/options.js'
import type { Environment } from './format/otlp/env.js'
import { type ResolvedOtlpOptions, resolveOtlp, withEnvHeaders } from './format/otlp/options.js'
import type {
  HttpAsyncElasticsearchOptions,
  HttpAsyncLokiOptions,
  HttpAsyncOtlpOptions,
  HttpAsyncSpoolOptions,
} from './option-types.js'

export const SPOOL_OPTION_NAMES = ['dir', 'maxBytes'] as const

export const METHODS = ['POST', 'PUT', 'GET'] as const
export type HttpMethod = (typeof METHODS)[number]
export const FORMATS = ['json', 'ndjson', 'loki', 'elasticsearch', 'otlp', 'form'] as const
export type BodyFormat = (typeof FORMATS)[number]
export const COMPRESSIONS = ['none', 'gzip'] as const
export type Compression = (typeof COMPRESSIONS)[number]

const MiB = 1024 * 1024

// spool.maxBytes: a nested option's default, so not one of the table's.
const DEFAULT_SPOOL_MAX_BYTES = 1024 * MiB

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
  const maxBytes = readNumber(option, spool, 'maxBytes', DEFAULT_SPOOL_MAX_BYTES, { min: MIN_SPOOL_BYTES })
  return Object.freeze({ dir, maxBytes, segmentBytes: Math.min(MiB, Math.floor(maxBytes / 8)) })
}

/** `method`, in any case as Python's HTTPHandler takes it ('post'), upper-cased. */
function readMethod(prefix: string, options: RawOptions): HttpMethod {
  const value = options.method
  if (value === undefined) return 'POST'
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined
  if (upper !== undefined && (METHODS as readonly string[]).includes(upper)) return upper as HttpMethod
  const option = optionPath(prefix, 'method')
  throw invalid(
    option,
    `received ${describeValue(value)}; expected one of ${METHODS.map((m) => `'${m}'`).join(', ')} (any case)`,
  )
}

/** The options as the formats' readers check them: the method upper-cased (Python writes 'post'). */
function withMethod(options: RawOptions, context: ReadContext): RawOptions {
  return { ...options, method: context.resolved.method }
}

/**
 * Every option of the transport, once, in the README's order but for the store formats (see
 * core's option-table.ts). The endpoint (url, host, secure) is computed from the three after
 * the table; `otlp` is read before it, with the environment's defaults (resolveOptions).
 */
export const OPTIONS = Object.freeze({
  url: stringOption({
    doc: 'absolute http(s) URL, or a path with --host',
    // Required, except with format 'otlp', whose environment variables may give it.
    shown: 'required',
    cli: [{ value: 'URL' }],
  }),
  host: stringOption({
    doc: "Python's form: host, then --url /path (--secure for https)",
    cli: [{ value: 'HOST[:PORT]' }],
  }),
  secure: customOption<boolean, boolean | undefined>({
    doc: 'with --host: https',
    shown: 'false',
    cli: [{}],
    // Absent differs from false: a false secure with an https url is refused (resolveEndpoint).
    read: (prefix, options, key) => (options[key] === undefined ? undefined : readBoolean(prefix, options, key, false)),
  }),
  method: customOption<HttpMethod, HttpMethod>({
    doc: 'GET: one request per record, fields as query; any case',
    shown: "'POST'",
    cli: [{ value: 'POST|PUT|GET' }],
    read: readMethod,
  }),
  credentials: credentialsOption('HTTP Basic auth (prefer a header from a secret store)'),
  headers: customOption<Readonly<Record<string, string>>, Readonly<Record<string, string>>>({
    doc: 'extra request headers (their values are redacted from every message)',
    shown: 'none',
    cli: [{ flag: 'header', value: "'Name: value'", doc: 'an extra header (repeatable)' }],
    // After credentials: an Authorization header and credentials cannot both be given.
    read: (prefix, options, _key, context) => readHeaders(prefix, options, context.resolved.credentials !== undefined),
  }),
  format: enumOption(FORMATS, {
    doc: 'the body: json, ndjson, form, loki, elasticsearch or otlp',
    default: 'json',
    cli: [{ value: 'FORMAT' }],
  }),
  compression: enumOption(COMPRESSIONS, { doc: 'gzip compresses the body', default: 'none' }),
  maxBatchRecords: numberOption({ doc: 'records per request at most', default: 1000, min: 1, max: 10_000_000 }),
  maxBatchBytes: numberOption({ doc: 'bytes per request at most (before compression)', default: MiB, min: 1 }),
  flushIntervalMs: numberOption({
    doc: 'a batch goes this long after its first record at the latest',
    default: 1000,
    max: MAX_TIMER_MS,
  }),
  maxConcurrentRequests: numberOption({
    doc: 'requests in flight at once at most (1: one at a time, records in order)',
    default: 8,
    min: 1,
    max: MAX_CONCURRENT_REQUESTS,
  }),
  timeoutMs: numberOption({ doc: 'per request, whole exchange', default: 10_000, min: 1, max: MAX_TIMER_MS }),
  maxBufferBytes: numberOption({
    doc: 'bytes of records waiting at most, in flight included',
    default: 16 * MiB,
    min: 1,
  }),
  overflow: enumOption(OVERFLOW_POLICIES, { doc: 'which records go past maxBufferBytes', default: 'drop-oldest' }),
  maxRecordBytes: numberOption({
    doc: 'a larger record is dropped (counted)',
    default: MiB,
    min: 1,
    shown: '1048576',
    atMost: { option: 'maxBufferBytes', why: 'such a record could never be held' },
  }),
  maxRetries: numberOption({
    doc: 'retries of a batch before it is dropped',
    shown: 'unlimited',
    max: 1_000_000_000,
  }),
  ...retryDelayOptions(200, {
    base: 'the first retry waits up to this long',
    max: 'no wait is longer, computed or asked for by Retry-After',
  }),
  closeTimeoutMs: closeTimeoutOption('the close delivers for at most this long'),
  statsName: statsNameOption('http-async'),
  ...tlsOptions(),
  spool: customOption<HttpAsyncSpoolOptions, ResolvedSpoolOptions | undefined>({
    doc: 'a durable spool: records on disk until delivered',
    shown: 'none',
    cli: [
      {
        flag: 'spool-dir',
        value: 'DIR',
        doc: 'durable spool: records on disk until delivered, sent first on the next start',
      },
      { flag: 'spool-max-bytes', value: 'N', doc: "the spool's bound on disk (default 1 GiB)" },
    ],
    read: readSpool,
  }),
  // After format and method: they decide whether these apply.
  loki: customOption<HttpAsyncLokiOptions, ResolvedLokiOptions | undefined>({
    doc: "with format 'loki' only: the streams' labels and what each entry carries",
    shown: 'none',
    read: (prefix, options, _key, context) => readLokiOptions(prefix, withMethod(options, context)),
  }),
  elasticsearch: customOption<HttpAsyncElasticsearchOptions, ResolvedElasticsearchOptions | undefined>({
    doc: "with format 'elasticsearch' only: where the bulk API indexes each record",
    shown: `{ index: '${DEFAULT_INDEX}', opType: 'index' }`,
    read: (prefix, options, _key, context) => readElasticsearchOptions(prefix, withMethod(options, context)),
  }),
  otlp: customOption<HttpAsyncOtlpOptions, undefined>({
    doc: "with format 'otlp' only: the encoding and the resource's attributes",
    shown: 'none',
    // Read before the table by resolveOtlp, which takes its defaults from the environment.
    read: () => undefined,
  }),
})

/** Every option the transport accepts. */
export const OPTION_NAMES = optionNames(OPTIONS)

export type OptionName = (typeof OPTION_NAMES)[number]

/**
 * The options of `@pino-advanced/http-async`, as written in `pino.transport({ target, options })`
 * or getLogger's `http_handler`, from the table (checked again at run time: a ConfigError
 * names what is wrong). `url` is required, except with `format: 'otlp'` where
 * OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT may give it.
 */
export type HttpAsyncOptions = OptionsOf<typeof OPTIONS>

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

/**
 * Each option's value when it is not given, and spool.maxBytes's (`spoolMaxBytes`): a nested
 * option, so not in the table, but a default all the same.
 */
export const DEFAULTS = Object.freeze({
  ...readOptionTable(OPTIONS, '', {}),
  spoolMaxBytes: DEFAULT_SPOOL_MAX_BYTES,
})

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
  const format = readEnum(prefix, given, 'format', FORMATS, 'json')
  // The environment's defaults (OTLP's) filled in where the user gave none, before the table reads them.
  const { otlp, options, headers: envHeaders } = resolveOtlp(prefix, given, format, env)
  const read = readOptionTable(OPTIONS, prefix, options)
  const { origin, path } = resolveEndpoint(prefix, options)
  // url, host and secure become origin and path; ca is folded into tls.
  const { url: _url, host: _host, secure: _secure, ca: _ca, ...rest } = read
  const { credentials } = read
  if (credentials?.user.includes(':')) {
    throw invalid(optionPath(prefix, 'credentials'), 'the user name of Basic auth cannot contain ":"')
  }
  return Object.freeze({
    ...rest,
    origin,
    path,
    headers: withEnvHeaders(envHeaders, read.headers, credentials !== undefined),
    otlp,
  })
}
