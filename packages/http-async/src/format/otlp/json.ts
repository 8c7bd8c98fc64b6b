import { BodyWriter } from '../loki/writer.js'
import type { LogRecordModel } from './mapping.js'
import { type ResourceLogsModel, SCOPE_NAME } from './protobuf.js'

// OTLP/JSON (the protobuf JSON mapping with OTLP's exceptions): lowerCamelCase names, enums as
// integers, 64-bit integers as decimal strings, trace and span ids as hex. Written as bytes into
// one buffer: no object tree per record, no string of the whole body, every string escaped as
// JSON.stringify does.

/** Milliseconds as nanoseconds in decimal, exactly: ms * 1e6 is the digits of ms and six more. */
function writeNanos(body: BodyWriter, ms: number): void {
  let whole = Math.floor(ms)
  let fraction = Math.round((ms - whole) * 1e6)
  if (fraction === 1e6) {
    whole++
    fraction = 0
  }
  body.ascii('"')
  if (whole === 0) {
    body.digits(fraction)
  } else {
    body.digits(whole)
    body.digits(fraction, 6)
  }
  body.ascii('"')
}

function writeAnyValue(body: BodyWriter, value: unknown): void {
  if (typeof value === 'string') {
    body.ascii('{"stringValue":')
    body.quoted(value)
    body.ascii('}')
  } else if (typeof value === 'boolean') {
    body.ascii(value ? '{"boolValue":true}' : '{"boolValue":false}')
  } else if (typeof value === 'number') {
    body.ascii(Number.isSafeInteger(value) ? `{"intValue":"${value}"}` : `{"doubleValue":${value}}`)
  } else if (value === null) {
    body.ascii('{}')
  } else if (Array.isArray(value)) {
    body.ascii('{"arrayValue":{"values":[')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) body.ascii(',')
      writeAnyValue(body, value[i])
    }
    body.ascii(']}}')
  } else {
    // What is left of JSON's values: an object.
    body.ascii('{"kvlistValue":{"values":[')
    let first = true
    for (const key in value as Record<string, unknown>) {
      if (!first) body.ascii(',')
      writeKeyValue(body, key, (value as Record<string, unknown>)[key])
      first = false
    }
    body.ascii(']}}')
  }
}

function writeKeyValue(body: BodyWriter, key: string, value: unknown): void {
  body.ascii('{"key":')
  body.quoted(key)
  // The most common value in fewer pieces.
  if (typeof value === 'string') {
    body.ascii(',"value":{"stringValue":')
    body.quoted(value)
    body.ascii('}}')
    return
  }
  body.ascii(',"value":')
  writeAnyValue(body, value)
  body.ascii('}')
}

/** Flat key/value pairs as a KeyValue list. */
function writeAttributes(body: BodyWriter, pairs: readonly unknown[]): void {
  body.ascii('[')
  for (let i = 0; i < pairs.length; i += 2) {
    if (i > 0) body.ascii(',')
    writeKeyValue(body, pairs[i] as string, pairs[i + 1])
  }
  body.ascii(']')
}

function writeLogRecord(body: BodyWriter, record: LogRecordModel, observedMs: number): void {
  if (record.timeMs === undefined) {
    body.ascii('{"observedTimeUnixNano":')
    writeNanos(body, observedMs)
  } else {
    body.ascii('{"timeUnixNano":')
    const start = body.at
    writeNanos(body, record.timeMs)
    const end = body.at
    body.ascii(',"observedTimeUnixNano":')
    // The same time: its digits again.
    body.again(start, end)
  }
  if (record.severityNumber !== 0) {
    body.ascii(',"severityNumber":')
    body.digits(record.severityNumber)
  }
  if (record.severityText !== undefined) {
    body.ascii(',"severityText":')
    body.quoted(record.severityText)
  }
  if (record.body !== undefined) {
    body.ascii(',"body":')
    writeAnyValue(body, record.body)
  }
  if (record.attributes.length > 0) {
    body.ascii(',"attributes":')
    writeAttributes(body, record.attributes)
  }
  if (record.flags !== undefined) body.ascii(`,"flags":${record.flags}`)
  if (record.traceId !== undefined) body.ascii(`,"traceId":"${record.traceId}"`)
  if (record.spanId !== undefined) body.ascii(`,"spanId":"${record.spanId}"`)
  body.ascii('}')
}

const SCOPE = `{"name":${JSON.stringify(SCOPE_NAME)}}`

/**
 * The http/json serialiser of one encoder: an ExportLogsServiceRequest of the groups;
 * `observedMs` is the time of a record without one.
 */
export function jsonSerialiser(): (groups: readonly ResourceLogsModel[], observedMs: number) => Buffer {
  const body = new BodyWriter()
  return (groups, observedMs) => {
    body.reset()
    body.ascii('{"resourceLogs":[')
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g] as ResourceLogsModel
      if (g > 0) body.ascii(',')
      body.ascii('{"resource":{"attributes":')
      writeAttributes(body, group.resource)
      body.ascii(`},"scopeLogs":[{"scope":${SCOPE},"logRecords":[`)
      for (let i = 0; i < group.records.length; i++) {
        if (i > 0) body.ascii(',')
        writeLogRecord(body, group.records[i] as LogRecordModel, observedMs)
      }
      body.ascii(']}]}')
    }
    body.ascii(']}')
    return body.done()
  }
}
