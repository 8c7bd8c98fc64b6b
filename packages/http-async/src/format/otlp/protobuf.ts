import type { LogRecordModel } from './mapping.js'
import { ProtoWriter } from './proto-writer.js'

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

// Bytes kept for a message's length before its fields: what it takes most often.
const SMALL = 1 // a KeyValue, an AnyValue
const RECORD = 2 // a LogRecord: 128 bytes to 16 KiB
const LARGE = 3 // a ResourceLogs and what it holds: up to 2 MiB

/**
 * Milliseconds as fixed64 nanoseconds, exactly (a double cannot hold ms * 1e6 past 2^53):
 * written as its two little-endian halves, nothing allocated.
 */
function writeNanos(writer: ProtoWriter, ms: number): void {
  let whole = Math.floor(ms)
  let fraction = Math.round((ms - whole) * 1e6)
  if (fraction === 1e6) {
    whole++
    fraction = 0
  }
  const low = (whole % TWO_32) * 1e6 + fraction // < 2^53: exact
  const lowBits = low % TWO_32
  writer.fixed32(lowBits)
  writer.fixed32(Math.floor(whole / TWO_32) * 1e6 + (low - lowBits) / TWO_32)
}

/** An AnyValue's fields (inside its own length): JSON's values, null as the empty AnyValue. */
function writeAnyValue(writer: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writer.uint32(ANY_STRING)
      writer.string(value)
      return
    case 'boolean':
      writer.uint32(ANY_BOOL)
      writer.uint32(value ? 1 : 0)
      return
    case 'number':
      if (value >= 0 && value < TWO_32 && Number.isInteger(value)) {
        writer.uint32(ANY_INT)
        writer.uint32(value)
      } else if (Number.isSafeInteger(value)) {
        writer.uint32(ANY_INT)
        writer.int64(value)
      } else {
        writer.uint32(ANY_DOUBLE)
        writer.double(value)
      }
      return
    case 'object': {
      if (value === null) return
      const array = Array.isArray(value)
      writer.uint32(array ? ANY_ARRAY : ANY_KVLIST)
      const list = writer.fork(SMALL)
      if (array) {
        for (const item of value) {
          writer.uint32(LIST_VALUES)
          const at = writer.fork(SMALL)
          writeAnyValue(writer, item)
          writer.ldelim(at, SMALL)
        }
      } else {
        for (const key in value) writeKeyValue(writer, LIST_VALUES, key, (value as Record<string, unknown>)[key])
      }
      writer.ldelim(list, SMALL)
    }
  }
}

/** A KeyValue as field `field`. */
function writeKeyValue(writer: ProtoWriter, field: number, key: string, value: unknown): void {
  writer.uint32(field)
  const pair = writer.fork(SMALL)
  writer.uint32(KV_KEY)
  writer.string(key)
  writer.uint32(KV_VALUE)
  const at = writer.fork(SMALL)
  writeAnyValue(writer, value)
  writer.ldelim(at, SMALL)
  writer.ldelim(pair, SMALL)
}

/** Flat key/value pairs as repeated KeyValue under `field`. */
function writeAttributes(writer: ProtoWriter, field: number, pairs: readonly unknown[]): void {
  for (let i = 0; i < pairs.length; i += 2) writeKeyValue(writer, field, pairs[i] as string, pairs[i + 1])
}

function writeLogRecord(writer: ProtoWriter, record: LogRecordModel, observedMs: number): void {
  if (record.timeMs !== undefined) {
    writer.uint32(LOG_TIME)
    writeNanos(writer, record.timeMs)
  }
  if (record.severityNumber !== 0) {
    writer.uint32(LOG_SEVERITY_NUMBER)
    writer.uint32(record.severityNumber)
  }
  if (record.severityText !== undefined) {
    writer.uint32(LOG_SEVERITY_TEXT)
    writer.string(record.severityText)
  }
  if (record.body !== undefined) {
    writer.uint32(LOG_BODY)
    const at = writer.fork(SMALL)
    writeAnyValue(writer, record.body)
    writer.ldelim(at, SMALL)
  }
  writeAttributes(writer, LOG_ATTRIBUTES, record.attributes)
  if (record.flags !== undefined) {
    writer.uint32(LOG_FLAGS)
    writer.fixed32(record.flags)
  }
  if (record.traceId !== undefined) {
    writer.uint32(LOG_TRACE_ID)
    writer.hexBytes(record.traceId)
  }
  if (record.spanId !== undefined) {
    writer.uint32(LOG_SPAN_ID)
    writer.hexBytes(record.spanId)
  }
  writer.uint32(LOG_OBSERVED_TIME)
  writeNanos(writer, record.timeMs ?? observedMs)
}

/**
 * The http/protobuf serialiser of one encoder: an ExportLogsServiceRequest of the groups;
 * `observedMs` is the time of a record without one.
 */
export function protobufSerialiser(): (groups: readonly ResourceLogsModel[], observedMs: number) => Buffer {
  const writer = new ProtoWriter()
  return (groups, observedMs) => {
    writer.reset()
    for (const group of groups) {
      writer.uint32(REQUEST_RESOURCE_LOGS)
      const resourceLogs = writer.fork(LARGE)
      writer.uint32(RESOURCE_LOGS_RESOURCE)
      const resource = writer.fork(LARGE)
      writeAttributes(writer, RESOURCE_ATTRIBUTES, group.resource)
      writer.ldelim(resource, LARGE)
      writer.uint32(RESOURCE_LOGS_SCOPE_LOGS)
      const scopeLogs = writer.fork(LARGE)
      writer.uint32(SCOPE_LOGS_SCOPE)
      const scope = writer.fork(SMALL)
      writer.uint32(SCOPE_NAME_FIELD)
      writer.string(SCOPE_NAME)
      writer.ldelim(scope, SMALL)
      for (const record of group.records) {
        writer.uint32(SCOPE_LOGS_LOG_RECORDS)
        const at = writer.fork(RECORD)
        writeLogRecord(writer, record, observedMs)
        writer.ldelim(at, RECORD)
      }
      writer.ldelim(scopeLogs, LARGE)
      writer.ldelim(resourceLogs, LARGE)
    }
    return writer.done()
  }
}
