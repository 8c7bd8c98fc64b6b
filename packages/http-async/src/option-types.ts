import type { OpType } from './format/elasticsearch/options.js'
import type { LokiLine } from './format/loki/options.js'
import type { OtlpProtocol, ResourceValue } from './format/otlp/options.js'

// The options' type comes from the option table (options.ts); the nested options' input types are here.
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
