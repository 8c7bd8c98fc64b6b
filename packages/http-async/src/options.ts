import {
  ConfigError,
  closeTimeoutOption,
  credentialsOption,
  customOption,
  enumOption,
  MAX_TIMER_MS,
  numberOption,
  type OptionsOf,
  OVERFLOW_POLICIES,
  optionNames,
  optionPath,
  readBoolean,
  readEnum,
  readObject,
  readOptionTable,
  rejectUnknownKeys,
  retryDelayOptions,
  statsNameOption,
  stringOption,
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
import { resolveOtlp, withEnvHeaders } from './format/otlp/options.js'
import type {
  HttpAsyncElasticsearchOptions,
  HttpAsyncLokiOptions,
  HttpAsyncOtlpOptions,
  HttpAsyncSpoolOptions,
  ResolvedHttpAsyncOptions,
} from './option-types.js'
import { type HttpMethod, readHeaders, readMethod, withMethod } from './request-options.js'
import { DEFAULT_SPOOL_MAX_BYTES, type ResolvedSpoolOptions, readSpool } from './spool/spool-options.js'

export type { ResolvedHttpAsyncOptions } from './option-types.js'
export { type HttpMethod, METHODS } from './request-options.js'

export const FORMATS = ['json', 'ndjson', 'loki', 'elasticsearch', 'otlp', 'form'] as const
export type BodyFormat = (typeof FORMATS)[number]
export const COMPRESSIONS = ['none', 'gzip'] as const
export type Compression = (typeof COMPRESSIONS)[number]

const MiB = 1024 * 1024

// More requests at once than this would only open connections an endpoint must refuse.
const MAX_CONCURRENT_REQUESTS = 256

// The shared entries, named one by one in OPTIONS (not spread) so each carries its own doc comment.
const TLS_OPTIONS = tlsOptions()
const RETRY_DELAY_OPTIONS = retryDelayOptions(200, {
  base: 'the first retry waits up to this long',
  max: 'no wait is longer, computed or asked for by Retry-After',
})

/**
 * Every option of the transport, once, in the README's order but for the store formats (see
 * core's option-table.ts). The endpoint (url, host, secure) is computed from the three after
 * the table; `otlp` is read before it, with the environment's defaults (resolveOptions).
 */
export const OPTIONS = Object.freeze({
  /**
   * Where batches go: an absolute http(s) URL, or a path (`'/log'`) together with `host`. Required,
   * except with `format: 'otlp'` where OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT may give it.
   */
  url: stringOption({
    doc: 'absolute http(s) URL, or a path with --host',
    // Required, except with format 'otlp', whose environment variables may give it.
    shown: 'required',
    cli: [{ value: 'URL' }],
  }),
  /** Python's HTTPHandler form: `'hostname'` or `'hostname:port'`, with `url` a path (`secure` for https). */
  host: stringOption({
    doc: "Python's form: host, then --url /path (--secure for https)",
    cli: [{ value: 'HOST[:PORT]' }],
  }),
  /** With `host`: https. Default false. */
  secure: customOption<boolean, boolean | undefined>({
    doc: 'with --host: https',
    shown: 'false',
    cli: [{}],
    // Absent differs from false: a false secure with an https url is refused (resolveEndpoint).
    read: (prefix, options, key) => (options[key] === undefined ? undefined : readBoolean(prefix, options, key, false)),
  }),
  /** `'POST'`, `'PUT'` or `'GET'` (one request per record, its fields as the query); any case. Default `'POST'`. */
  method: customOption<HttpMethod, HttpMethod>({
    doc: 'GET: one request per record, fields as query; any case',
    shown: "'POST'",
    cli: [{ value: 'POST|PUT|GET' }],
    read: readMethod,
  }),
  /** HTTP Basic auth, `[user, password]` (never printed; prefer a header from a secret store). */
  credentials: credentialsOption('HTTP Basic auth (prefer a header from a secret store)'),
  /** Extra request headers (their values are redacted from every message). */
  headers: customOption<Readonly<Record<string, string>>, Readonly<Record<string, string>>>({
    doc: 'extra request headers (their values are redacted from every message)',
    shown: 'none',
    cli: [{ flag: 'header', value: "'Name: value'", doc: 'an extra header (repeatable)' }],
    // After credentials: an Authorization header and credentials cannot both be given.
    read: (prefix, options, _key, context) => readHeaders(prefix, options, context.resolved.credentials !== undefined),
  }),
  /**
   * The body: `'json'` (a JSON array per batch), `'ndjson'`, `'form'`, `'loki'` (see `loki`), `'elasticsearch'`
   * (the `_bulk` API, see `elasticsearch`) or `'otlp'` (OTLP/HTTP logs, see `otlp`). Default `'json'`.
   */
  format: enumOption(FORMATS, {
    doc: 'the body: json, ndjson, form, loki, elasticsearch or otlp',
    default: 'json',
    cli: [{ value: 'FORMAT' }],
  }),
  /** `'gzip'` compresses the body. Default `'none'`. */
  compression: enumOption(COMPRESSIONS, { doc: 'gzip compresses the body', default: 'none' }),
  /** Records per request at most. Default 1000. */
  maxBatchRecords: numberOption({ doc: 'records per request at most', default: 1000, min: 1, max: 10_000_000 }),
  /** Bytes per request at most (before compression). Default 1048576 (1 MiB). */
  maxBatchBytes: numberOption({ doc: 'bytes per request at most (before compression)', default: MiB, min: 1 }),
  /** A batch goes this long after its first record at the latest. Default 1000. */
  flushIntervalMs: numberOption({
    doc: 'a batch goes this long after its first record at the latest',
    default: 1000,
    max: MAX_TIMER_MS,
  }),
  /** Requests in flight at once at most (1..256; 1: one at a time, records in order). Default 8. */
  maxConcurrentRequests: numberOption({
    doc: 'requests in flight at once at most (1: one at a time, records in order)',
    default: 8,
    min: 1,
    max: MAX_CONCURRENT_REQUESTS,
  }),
  /** Per request, the whole exchange. Default 10000. */
  timeoutMs: numberOption({ doc: 'per request, whole exchange', default: 10_000, min: 1, max: MAX_TIMER_MS }),
  /** Bytes of records waiting at most, in flight included. Default 16777216 (16 MiB). */
  maxBufferBytes: numberOption({
    doc: 'bytes of records waiting at most, in flight included',
    default: 16 * MiB,
    min: 1,
  }),
  /** Which records go past maxBufferBytes. Default `'drop-oldest'`. */
  overflow: enumOption(OVERFLOW_POLICIES, { doc: 'which records go past maxBufferBytes', default: 'drop-oldest' }),
  /** A larger record is dropped (counted); at most maxBufferBytes. Default 1048576 (1 MiB). */
  maxRecordBytes: numberOption({
    doc: 'a larger record is dropped (counted)',
    default: MiB,
    min: 1,
    shown: '1048576',
    atMost: { option: 'maxBufferBytes', why: 'such a record could never be held' },
  }),
  /** Retries of a batch before it is dropped. Default unlimited: until delivered or overflowed. */
  maxRetries: numberOption({
    doc: 'retries of a batch before it is dropped',
    shown: 'unlimited',
    max: 1_000_000_000,
  }),
  /** The first retry waits up to this long (full-jitter backoff). Default 200. */
  retryBaseDelayMs: RETRY_DELAY_OPTIONS.retryBaseDelayMs,
  /** No wait is longer, computed or asked for by Retry-After; at least retryBaseDelayMs. Default 30000. */
  retryMaxDelayMs: RETRY_DELAY_OPTIONS.retryMaxDelayMs,
  /** The close delivers for at most this long. Default 5000. */
  closeTimeoutMs: closeTimeoutOption('the close delivers for at most this long'),
  /** The name its counts go under in the stats. Default `'http-async'`. */
  statsName: statsNameOption('http-async'),
  /** TLS connect options, plain data (a top-level `ca` is folded in). */
  tls: TLS_OPTIONS.tls,
  /** PEM CA certificate(s) to trust (short for `tls.ca`). */
  ca: TLS_OPTIONS.ca,
  /**
   * A durable spool: records on disk until delivered, sent first on the next start. `dir` is required;
   * `maxBytes` defaults to 1073741824 (1 GiB).
   */
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
  /** With `format: 'loki'` only: the streams' labels and what each entry carries. */
  loki: customOption<HttpAsyncLokiOptions, ResolvedLokiOptions | undefined>({
    doc: "with format 'loki' only: the streams' labels and what each entry carries",
    shown: 'none',
    read: (prefix, options, _key, context) => readLokiOptions(prefix, withMethod(options, context)),
  }),
  /**
   * With `format: 'elasticsearch'` only: where the bulk API indexes each record. Default
   * `{ index: 'pino-%{+yyyy.MM.dd}', opType: 'index' }`.
   */
  elasticsearch: customOption<HttpAsyncElasticsearchOptions, ResolvedElasticsearchOptions | undefined>({
    doc: "with format 'elasticsearch' only: where the bulk API indexes each record",
    shown: `{ index: '${DEFAULT_INDEX}', opType: 'index' }`,
    read: (prefix, options, _key, context) => readElasticsearchOptions(prefix, withMethod(options, context)),
  }),
  /** With `format: 'otlp'` only: the encoding and the resource's attributes. */
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
    throw ConfigError.invalid(optionPath(prefix, 'credentials'), 'the user name of Basic auth cannot contain ":"')
  }
  return Object.freeze({
    ...rest,
    origin,
    path,
    headers: withEnvHeaders(envHeaders, read.headers, credentials !== undefined),
    otlp,
  })
}
