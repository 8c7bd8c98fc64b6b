import type { LogRecordModel } from './mapping.js'
import { type ResourceLogsModel, SCOPE_NAME } from './protobuf.js'

// OTLP/JSON (the protobuf JSON mapping with OTLP's exceptions): lowerCamelCase names, enums as
// integers, 64-bit integers as decimal strings, trace and span ids as hex. Built as text: no
// object tree per record, and every string escaped by JSON.stringify.

/** Milliseconds as nanoseconds in decimal, exactly: ms * 1e6 is the digits of ms and six more. */
function nanos(ms: number): string {
  let whole = Math.floor(ms)
  let fraction = Math.round((ms - whole) * 1e6)
  if (fraction === 1e6) {
    whole++
    fraction = 0
  }
  return whole === 0 ? `"${fraction}"` : `"${whole}${String(fraction).padStart(6, '0')}"`
}

function anyValue(value: unknown): string {
  if (typeof value === 'string') return `{"stringValue":${JSON.stringify(value)}}`
  if (typeof value === 'boolean') return value ? '{"boolValue":true}' : '{"boolValue":false}'
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? `{"intValue":"${value}"}` : `{"doubleValue":${value}}`
  }
  if (value === null) return '{}'
  let text = ''
  if (Array.isArray(value)) {
    for (const item of value) text += text === '' ? anyValue(item) : `,${anyValue(item)}`
    return `{"arrayValue":{"values":[${text}]}}`
  }
  // What is left of JSON's values: an object.
  for (const key in value as Record<string, unknown>) {
    const pair = keyValue(key, (value as Record<string, unknown>)[key])
    text += text === '' ? pair : `,${pair}`
  }
  return `{"kvlistValue":{"values":[${text}]}}`
}

function keyValue(key: string, value: unknown): string {
  return `{"key":${JSON.stringify(key)},"value":${anyValue(value)}}`
}

/** Flat key/value pairs as a KeyValue list. */
function attributes(pairs: readonly unknown[]): string {
  let text = ''
  for (let i = 0; i < pairs.length; i += 2) {
    const pair = keyValue(pairs[i] as string, pairs[i + 1])
    text += i === 0 ? pair : `,${pair}`
  }
  return `[${text}]`
}

function logRecord(record: LogRecordModel, observedMs: number): string {
  let text = record.timeMs === undefined ? '{' : `{"timeUnixNano":${nanos(record.timeMs)},`
  text += `"observedTimeUnixNano":${nanos(record.timeMs ?? observedMs)}`
  if (record.severityNumber !== 0) text += `,"severityNumber":${record.severityNumber}`
  if (record.severityText !== undefined) text += `,"severityText":${JSON.stringify(record.severityText)}`
  if (record.body !== undefined) text += `,"body":${anyValue(record.body)}`
  if (record.attributes.length > 0) text += `,"attributes":${attributes(record.attributes)}`
  if (record.flags !== undefined) text += `,"flags":${record.flags}`
  if (record.traceId !== undefined) text += `,"traceId":"${record.traceId}"`
  if (record.spanId !== undefined) text += `,"spanId":"${record.spanId}"`
  return `${text}}`
}

const SCOPE = `{"name":${JSON.stringify(SCOPE_NAME)}}`

/** An ExportLogsServiceRequest (http/json); `observedMs` is the time of a record without one. */
export function encodeJson(groups: readonly ResourceLogsModel[], observedMs: number): Buffer {
  let text = '{"resourceLogs":['
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as ResourceLogsModel
    if (g > 0) text += ','
    text += `{"resource":{"attributes":${attributes(group.resource)}},"scopeLogs":[{"scope":${SCOPE},"logRecords":[`
    for (let i = 0; i < group.records.length; i++) {
      if (i > 0) text += ','
      text += logRecord(group.records[i] as LogRecordModel, observedMs)
    }
    text += ']}]}'
  }
  return Buffer.from(`${text}]}`, 'utf8')
}
