import type { Batch } from '@pino-advanced/core'
import type { SendOutcome } from '../outcome.js'

/**
 * One body format: how a batch of pino's lines becomes a request, and, for protocols that
 * answer record by record, what an accepted answer says of each record. The sender does the
 * rest (compression, retries of statuses, timeouts) the same for every format.
 */
export interface BodyEncoder {
  /** The Content-Type of every request. */
  readonly contentType: string
  /**
   * Only JSON objects can go: any other line is dropped on arrival, counted `not-json`. A
   * format that can carry text (OTLP's body, Loki's line) takes such a line as its message.
   */
  readonly objectsOnly: boolean
  /** Headers of the protocol itself (Loki's X-Scope-OrgID); the user's own headers win. */
  readonly headers?: Readonly<Record<string, string>>
  /** Statuses worth a retry, where the protocol says other than the design's set. */
  readonly retryableStatuses?: ReadonlySet<number>
  /**
   * The body of one batch, before compression. With `batch`, record i is bytes
   * [offsets[i], offsets[i] + sizes[i]) of records[i] (records of one chunk share it).
   */
  encode(records: readonly Uint8Array[], batch?: Batch<Uint8Array>): Buffer
  /**
   * What a 2xx answer says of the `count` records sent (an Elasticsearch bulk response, OTLP's
   * partial success). Without it a 2xx delivers the whole batch and its body is not read.
   */
  readonly readAnswer?: (body: Buffer, count: number) => SendOutcome
}

/** Record i of a batch as a string: JSON.parse needs text, and the bytes may be a range. */
export function recordText(records: readonly Uint8Array[], i: number, batch?: Batch<Uint8Array>): string {
  const line = records[i] as Uint8Array
  if (batch === undefined) return Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8')
  const start = line.byteOffset + (batch.offsets[i] as number)
  return Buffer.from(line.buffer, start, batch.sizes[i] as number).toString('utf8')
}
