import { DROP_REASONS } from '@pino-advanced/core'
import protobuf from 'protobufjs/minimal.js'
import { DELIVERED, type SendOutcome } from '../../outcome.js'
import { ResponseExcerpt } from '../../response-excerpt.js'
import type { OtlpProtocol } from './options.js'

/** The drop reason of the records an OTLP endpoint's partial success says it rejected. */
export const OTLP_REJECTED = DROP_REASONS.otlpRejected.name

interface PartialSuccess {
  rejected: number
  message: string
}

// ExportLogsServiceResponse.partial_success (1, a message), and in it
// rejected_log_records (1, int64 varint) and error_message (2, string).
const PARTIAL_SUCCESS = (1 << 3) | 2
const REJECTED = (1 << 3) | 0
const ERROR_MESSAGE = (2 << 3) | 2

function fromProtobuf(body: Buffer): PartialSuccess {
  const found = { rejected: 0, message: '' }
  const reader = protobuf.Reader.create(body)
  while (reader.pos < reader.len) {
    const field = reader.uint32()
    if (field !== PARTIAL_SUCCESS) {
      reader.skipType(field & 7)
      continue
    }
    const end = reader.uint32() + reader.pos
    while (reader.pos < end) {
      const inner = reader.uint32()
      // int64 comes as a Long when the long package is there, else a number: Number() takes both.
      if (inner === REJECTED) found.rejected = Number(reader.int64())
      else if (inner === ERROR_MESSAGE) found.message = reader.string()
      else reader.skipType(inner & 7)
    }
  }
  return found
}

function fromJson(body: Buffer): PartialSuccess {
  // The JSON mapping's parsers take the proto names too; int64 may come as a string or a number.
  const answer = JSON.parse(body.toString('utf8')) as Record<string, Record<string, unknown> | undefined> | null
  const partial = answer?.partialSuccess ?? answer?.partial_success
  const rejected = partial?.rejectedLogRecords ?? partial?.rejected_log_records
  const message = partial?.errorMessage ?? partial?.error_message
  return { rejected: Number(rejected ?? 0), message: typeof message === 'string' ? message : '' }
}

/**
 * What a 2xx answer says of the `count` records sent: an empty body, or one without
 * partial_success or with none rejected, delivers them all; `rejected_log_records` (held to
 * 0..count) are dropped for good, counted `otlp-rejected` with the endpoint's error_message
 * (the specification: never retried). An unreadable body is a 2xx all the same: delivered.
 */
export function otlpAnswerReader(protocol: OtlpProtocol): (body: Buffer, count: number) => SendOutcome {
  const read = protocol === 'http/json' ? fromJson : fromProtobuf
  return (body, count) => {
    if (body.byteLength === 0) return DELIVERED
    let partial: PartialSuccess
    try {
      partial = read(body)
    } catch {
      return DELIVERED
    }
    const rejected = Math.min(count, Math.max(0, Math.trunc(partial.rejected) || 0))
    if (rejected === 0) return DELIVERED
    const said = new ResponseExcerpt()
    said.add(Buffer.from(partial.message, 'utf8'))
    const why = said.text()
    const message = `the endpoint rejected ${rejected} of ${count} log records (OTLP partial success)${why === '' ? '' : `: ${why}`}`
    return {
      kind: 'partial',
      delivered: count - rejected,
      drops: [{ reason: OTLP_REJECTED, count: rejected, message }],
    }
  }
}
