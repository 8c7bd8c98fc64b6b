import type { OverflowPolicy, TlsInput } from '@pino-advanced/core'
import type { BodyFormat, Compression, HttpMethod } from './options.js'

/**
 * The options of `@pino-advanced/http-async`, as written in `pino.transport({ target, options })`
 * or getLogger's `http_handler` (checked again at run time: a ConfigError names what is wrong).
 */
export interface HttpAsyncOptions {
  /** Where batches go: an absolute http(s) URL, or a path (`'/log'`) together with `host`. */
  readonly url: string
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
  /** Default `'json'` (a JSON array per batch); `'ndjson'`. */
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
}
