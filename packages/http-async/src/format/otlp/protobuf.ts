import protobuf from 'protobufjs/minimal.js'
import type { LogRecordModel } from './mapping.js'

/** The records of one resource (one process, normally: all of a batch). */
export interface ResourceLogsModel {
  /** The resource's attributes, flat: key, value, key, value... */
  readonly resource: readonly unknown[]
  readonly records: readonly LogRecordModel[]
}

/** The instrumentation scope every record is sent under. */
export const SCOPE_NAME = '@pino-advanced/http-async'

// Tags (field number << 3 | wire type) of opentelemetry-proto: collector/logs/v1,
// logs/v1/logs.proto, common/v1/common.proto, resource/v1/resource.proto.
const LEN = 2
const tag = (field: number, wire: number) => (field << 3) | wire
const REQUEST_RESOURCE_LOGS = tag(1, LEN)
const RESOURCE_LOGS_RESOURCE = tag(1, LEN)
const RESOURCE_LOGS_SCOPE_LOGS = tag(2, LEN)
const RESOURCE_ATTRIBUTES = tag(1, LEN)
const SCOPE_LOGS_SCOPE = tag(1, LEN)
const SCOPE_LOGS_LOG_RECORDS = tag(2, LEN)
const SCOPE_NAME_FIELD = tag(1, LEN)
const LOG_TIME = tag(1, 1) // fixed64
const LOG_SEVERITY_NUMBER = tag(2, 0)
const LOG_SEVERITY_TEXT = tag(3, LEN)
const LOG_BODY = tag(5, LEN)
const LOG_ATTRIBUTES = tag(6, LEN)
const LOG_FLAGS = tag(8, 5) // fixed32
const LOG_TRACE_ID = tag(9, LEN)
const LOG_SPAN_ID = tag(10, LEN)
const LOG_OBSERVED_TIME = tag(11, 1) // fixed64
const KV_KEY = tag(1, LEN)
const KV_VALUE = tag(2, LEN)
const ANY_STRING = tag(1, LEN)
const ANY_BOOL = tag(2, 0)
const ANY_INT = tag(3, 0)
const ANY_DOUBLE = tag(4, 1)
const ANY_ARRAY = tag(5, LEN)
const ANY_KVLIST = tag(6, LEN)
const LIST_VALUES = tag(1, LEN) // ArrayValue.values and KeyValueList.values

const TWO_32 = 4_294_967_296

/**
 * Milliseconds as fixed64 nanoseconds, exactly (a double cannot hold ms * 1e6 past 2^53):
 * written as its two little-endian halves, nothing allocated.
 */
function writeNanos(writer: protobuf.Writer, ms: number): void {
  let whole = Math.floor(ms)
  let fraction = Math.round((ms - whole) * 1e6)
  if (fraction === 1e6) {
    whole++
    fraction = 0
  }
  const low = (whole % TWO_32) * 1e6 + fraction // < 2^53: exact
  const lowBits = low % TWO_32
  writer.fixed32(lowBits).fixed32(Math.floor(whole / TWO_32) * 1e6 + (low - lowBits) / TWO_32)
}

/** An AnyValue's fields (inside its own length): JSON's values, null as the empty AnyValue. */
function writeAnyValue(writer: protobuf.Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writer.uint32(ANY_STRING).string(value)
      return
    case 'boolean':
      writer.uint32(ANY_BOOL).bool(value)
      return
    case 'number':
      // A varint up to 2^32 needs no 64-bit arithmetic (int64 of a number allocates).
      if (value >= 0 && value < TWO_32 && Number.isInteger(value)) writer.uint32(ANY_INT).uint32(value)
      else if (Number.isSafeInteger(value)) writer.uint32(ANY_INT).int64(value)
      else writer.uint32(ANY_DOUBLE).double(value)
      return
    case 'object':
      if (value === null) return
      if (Array.isArray(value)) {
        writer.uint32(ANY_ARRAY).fork()
        for (const item of value) {
          writer.uint32(LIST_VALUES).fork()
          writeAnyValue(writer, item)
          writer.ldelim()
        }
        writer.ldelim()
        return
      }
      writer.uint32(ANY_KVLIST).fork()
      for (const key in value) {
        writer.uint32(LIST_VALUES).fork()
        writeKeyValue(writer, key, (value as Record<string, unknown>)[key])
        writer.ldelim()
      }
      writer.ldelim()
  }
}

function writeKeyValue(writer: protobuf.Writer, key: string, value: unknown): void {
  writer.uint32(KV_KEY).string(key).uint32(KV_VALUE).fork()
  writeAnyValue(writer, value)
  writer.ldelim()
}

/** Flat key/value pairs as repeated KeyValue under `field`. */
function writeAttributes(writer: protobuf.Writer, field: number, pairs: readonly unknown[]): void {
  for (let i = 0; i < pairs.length; i += 2) {
    writer.uint32(field).fork()
    writeKeyValue(writer, pairs[i] as string, pairs[i + 1])
    writer.ldelim()
  }
}

function writeLogRecord(writer: protobuf.Writer, record: LogRecordModel, observedMs: number): void {
  if (record.timeMs !== undefined) writeNanos(writer.uint32(LOG_TIME), record.timeMs)
  if (record.severityNumber !== 0) writer.uint32(LOG_SEVERITY_NUMBER).int32(record.severityNumber)
  if (record.severityText !== undefined) writer.uint32(LOG_SEVERITY_TEXT).string(record.severityText)
  if (record.body !== undefined) {
    writer.uint32(LOG_BODY).fork()
    writeAnyValue(writer, record.body)
    writer.ldelim()
  }
  writeAttributes(writer, LOG_ATTRIBUTES, record.attributes)
  if (record.flags !== undefined) writer.uint32(LOG_FLAGS).fixed32(record.flags)
  if (record.traceId !== undefined) writer.uint32(LOG_TRACE_ID).bytes(Buffer.from(record.traceId, 'hex'))
  if (record.spanId !== undefined) writer.uint32(LOG_SPAN_ID).bytes(Buffer.from(record.spanId, 'hex'))
  writeNanos(writer.uint32(LOG_OBSERVED_TIME), record.timeMs ?? observedMs)
}

/** An ExportLogsServiceRequest (http/protobuf); `observedMs` is the time of a record without one. */
export function encodeProtobuf(groups: readonly ResourceLogsModel[], observedMs: number): Buffer {
  const writer = protobuf.Writer.create()
  for (const group of groups) {
    writer.uint32(REQUEST_RESOURCE_LOGS).fork()
    writer.uint32(RESOURCE_LOGS_RESOURCE).fork()
    writeAttributes(writer, RESOURCE_ATTRIBUTES, group.resource)
    writer.ldelim()
    writer.uint32(RESOURCE_LOGS_SCOPE_LOGS).fork()
    writer.uint32(SCOPE_LOGS_SCOPE).fork().uint32(SCOPE_NAME_FIELD).string(SCOPE_NAME).ldelim()
    for (const record of group.records) {
      writer.uint32(SCOPE_LOGS_LOG_RECORDS).fork()
      writeLogRecord(writer, record, observedMs)
      writer.ldelim()
    }
    writer.ldelim()
    writer.ldelim()
  }
  const bytes = writer.finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
