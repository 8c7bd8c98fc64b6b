import type { OverflowPolicy, TlsOptions } from '@pino-advanced/core'
import type { OpType, ResolvedElasticsearchOptions } from './format/elasticsearch/options.js'
import type { LokiLine, ResolvedLokiOptions } from './format/loki/options.js'
import type { OtlpProtocol, ResolvedOtlpOptions, ResourceValue } from './format/otlp/options.js'
import type { BodyFormat, Compression } from './options.js'
import type { HttpMethod } from './request-options.js'
import type { ResolvedSpoolOptions } from './spool/spool-options.js'

// The options' type comes from the option table (options.ts); the nested options' input types,
// and the options resolved, are here.
export type { HttpAsyncOptions } from './options.js'

/** `spool`: a durable spool, records on disk until delivered. */
export interface HttpAsyncSpoolOptions {
  readonly dir: string
  /** Default 1073741824 (1 GiB). */
  readonly maxBytes?: number
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

/** The options resolved (resolveOptions in options.ts): what the transport runs with. */
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
