import type { OverflowPolicy, TlsInput } from '@pino-advanced/core'
import type { OpType } from './format/elasticsearch/options.js'
import type { LokiLine } from './format/loki/options.js'
import type { OtlpProtocol, ResourceValue } from './format/otlp/options.js'
import type { BodyFormat, Compression, HttpMethod } from './options.js'

/**
 * The options of `@pino-advanced/http-async`, as written in `pino.transport({ target, options })`
 * or getLogger's `http_handler` (checked again at run time: a ConfigError names what is wrong).
 */
export interface HttpAsyncOptions {
  /**
   * Where batches go: an absolute http(s) URL, or a path (`'/log'`) together with `host`.
   * Required, except with `format: 'otlp'` where OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or
   * OTEL_EXPORTER_OTLP_ENDPOINT may give it.
   */
  readonly url?: string
  /** Python's HTTPHandler form: `'hostname'` or `'hostname:port'`, with `url` a path. */
  readonly host?: string
  /** With `host`: https. Default false. */
  readonly secure?: boolean
  /** Default `'POST'`; `'GET'` sends each record alone, its fields as the query. */
  readonly method?: HttpMethod
  /** HTTP Basic auth, `[user, password]` (never printed). */
  readonly credentials?: readonly [user: string, password: string]
  /** Extra request headers (their values are redacted from every message). */
  readonly headers?: Readonly<Record<string, string>>
  /** Default `'json'` (a JSON array per batch); `'ndjson'`; `'loki'` (Loki's push API, see `loki`); `'elasticsearch'` (the `_bulk` API, see `elasticsearch`); `'otlp'` (OTLP/HTTP logs, see `otlp`). */
  readonly format?: BodyFormat
  /** Default `'none'`. */
  readonly compression?: Compression
  /** Records per request at most. Default 1000. */
  readonly maxBatchRecords?: number
  /** Bytes per request at most. Default 1048576 (1 MiB). */
  readonly maxBatchBytes?: number
  /** A batch goes this long after its first record at the latest. Default 1000. */
  readonly flushIntervalMs?: number
  /** Requests in flight at once at most (1..256); the window adapts within it. Default 8. */
  readonly maxConcurrentRequests?: number
  /** Per request. Default 10000. */
  readonly timeoutMs?: number
  /** Memory held at most, in flight included. Default 16777216 (16 MiB). */
  readonly maxBufferBytes?: number
  /** Which records go past maxBufferBytes. Default `'drop-oldest'`. */
  readonly overflow?: OverflowPolicy
  /** A larger record is dropped (counted). Default 1048576 (1 MiB). */
  readonly maxRecordBytes?: number
  /** Retries of a batch before it is dropped. Default: until delivered or overflowed. */
  readonly maxRetries?: number
  /** Default 200. */
  readonly retryBaseDelayMs?: number
  /** Default 30000. */
  readonly retryMaxDelayMs?: number
  /** The close delivers for at most this long. Default 5000. */
  readonly closeTimeoutMs?: number
  /** The name its counts go under. Default `'http-async'`. */
  readonly statsName?: string
  readonly tls?: TlsInput
  /** PEM CA certificate(s) to trust (short for `tls.ca`). */
  readonly ca?: string | readonly string[]
  /** A durable spool: records on disk until delivered. */
  readonly spool?: {
    readonly dir: string
    /** Default 1073741824 (1 GiB). */
    readonly maxBytes?: number
  }
  /** With `format: 'loki'` only: the streams' labels and what each entry carries. */
  readonly loki?: HttpAsyncLokiOptions
  /** With `format: 'elasticsearch'` only: where the bulk API indexes each record. */
  readonly elasticsearch?: HttpAsyncElasticsearchOptions
  /** With `format: 'otlp'` only: the encoding and the resource's attributes. */
  readonly otlp?: HttpAsyncOtlpOptions
}

/** `format: 'otlp'` (OpenTelemetry's OTLP/HTTP logs); see docs/otlp.md. */
export interface HttpAsyncOtlpOptions {
  /**
   * `'http/protobuf'` (the specification's default) or `'http/json'`. Default: from
   * OTEL_EXPORTER_OTLP_LOGS_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, else `'http/protobuf'`.
   */
  readonly protocol?: OtlpProtocol
  /**
   * Resource attributes (`{ 'service.name': 'api', 'deployment.environment': 'prod' }`), over
   * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, and over the records' name, hostname, pid.
   */
  readonly resource?: Readonly<Record<string, ResourceValue>>
}

/** `format: 'elasticsearch'` (Elasticsearch / OpenSearch `_bulk`); see docs/elasticsearch.md. */
export interface HttpAsyncElasticsearchOptions {
  /**
   * An index name, or a pattern dated from each record's `time` (UTC): `%{+FORMAT}` with
   * `yyyy`, `yy`, `MM`, `dd`, `HH` (`logs-%{+yyyy.MM.dd}`), or `%{DATE}`. Default `'pino-%{+yyyy.MM.dd}'`.
   */
  readonly index?: string
  /** `'index'` (the default) or `'create'` (data streams; `@timestamp` is added). */
  readonly opType?: OpType
}

/** `format: 'loki'`: label names follow Loki's rule `[a-zA-Z_][a-zA-Z0-9_]*`. */
export interface HttpAsyncLokiOptions {
  /** Static labels of every stream (`{ app: 'api', env: 'prod' }`); `level` is added from each record. */
  readonly labels?: Readonly<Record<string, string>>
  /** Top-level record fields whose string, number or boolean value becomes a label. */
  readonly labelFields?: readonly string[]
  /** Distinct label sets with promoted fields at most; past it records get the static labels and level only. Default 100. */
  readonly maxLabelSets?: number
  /** The entry's line: `'record'` (pino's JSON line, the default) or `'message'` (its `msg`). */
  readonly line?: LokiLine
  /** Top-level record fields sent as Loki 3 structured metadata (as strings), e.g. `['trace_id']`. */
  readonly structuredMetadataFields?: readonly string[]
  /** Sent as the X-Scope-OrgID header (a multi-tenant Loki). */
  readonly tenant?: string
}
