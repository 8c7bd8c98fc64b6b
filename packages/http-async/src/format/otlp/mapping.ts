/**
 * A pino line as an OpenTelemetry log record (the data model's fields, before any encoding).
 * A field this does not understand (a `time` that is no date, a `trace_id` that is not 32 hex
 * digits) is not lost: it stays an attribute under its own name.
 */
export interface LogRecordModel {
  /** Milliseconds since the epoch (fractions kept); undefined = unknown (the record had none). */
  timeMs: number | undefined
  /** 0 = unspecified. */
  severityNumber: number
  severityText: string | undefined
  /** Any JSON value (pino's `msg`, or the text of a line that is not a JSON object); undefined = none. */
  body: unknown
  /** Flat: key, value, key, value... (no pair allocated per attribute). */
  attributes: unknown[]
  /** 32 lowercase hex digits. */
  traceId: string | undefined
  /** 16 lowercase hex digits. */
  spanId: string | undefined
  /** W3C trace flags (the record's `flags` lower 8 bits). */
  flags: number | undefined
  /** The resource's identity (service.name, host.name, process.pid); undefined when not mapped. */
  name: string | undefined
  hostname: string | undefined
  pid: number | undefined
}

/** Which of pino's process fields go to the resource (those the configuration does not give). */
export interface ResourceFields {
  readonly name: boolean
  readonly hostname: boolean
  readonly pid: boolean
}

/** pino's numbers (10..60) and the OTel data model's severity numbers and names. */
const PINO_SEVERITIES: readonly (readonly [pino: number, severity: number, text: string])[] = [
  [60, 21, 'FATAL'],
  [50, 17, 'ERROR'],
  [40, 13, 'WARN'],
  [30, 9, 'INFO'],
  [20, 5, 'DEBUG'],
  [10, 1, 'TRACE'],
]

// A level a custom formatter wrote as text (`formatters.level: (label) => ({ level: label })`).
const NAMED_SEVERITIES: Readonly<Record<string, number>> = Object.freeze({
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
  critical: 21,
})

const HEX32 = /^[0-9a-fA-F]{32}$/
const HEX16 = /^[0-9a-fA-F]{16}$/
const HEX_FLAGS = /^[0-9a-fA-F]{1,2}$/
const ZEROS = /^0+$/
// Nanoseconds must fit 64 bits: 2^64 ns is about 1.8e13 ms (the year 2554).
const MAX_TIME_MS = 18_446_744_073_708

function emptyModel(): LogRecordModel {
  return {
    timeMs: undefined,
    severityNumber: 0,
    severityText: undefined,
    body: undefined,
    attributes: [],
    traceId: undefined,
    spanId: undefined,
    flags: undefined,
    name: undefined,
    hostname: undefined,
    pid: undefined,
  }
}

/** Sets the severity from a numeric or textual level; false when the level says nothing. */
function setLevel(model: LogRecordModel, level: unknown): boolean {
  if (typeof level === 'number') {
    // (JSON has no NaN nor Infinity.) A custom number takes the nearest standard level below it; below trace, trace.
    let found = PINO_SEVERITIES[PINO_SEVERITIES.length - 1] as readonly [number, number, string]
    for (const row of PINO_SEVERITIES) {
      if (row[0] <= level) {
        found = row
        break
      }
    }
    model.severityNumber = found[1]
    model.severityText = found[0] === level ? found[2] : String(level)
    return true
  }
  if (typeof level !== 'string' || level === '') return false
  model.severityNumber = NAMED_SEVERITIES[level.toLowerCase()] ?? 0
  model.severityText = level
  return true
}

/** pino's `time`: ms since the epoch, or a date string (pino.stdTimeFunctions.isoTime). */
function setTime(model: LogRecordModel, time: unknown): boolean {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN
  if (!(ms >= 0 && ms <= MAX_TIME_MS)) return false
  model.timeMs = ms
  return true
}

function setFlags(model: LogRecordModel, flags: unknown): boolean {
  // @opentelemetry/instrumentation-pino writes `'01'`; others a number.
  const n =
    typeof flags === 'number'
      ? flags
      : typeof flags === 'string' && HEX_FLAGS.test(flags)
        ? Number.parseInt(flags, 16)
        : -1
  if (!(Number.isInteger(n) && n >= 0 && n <= 255)) return false
  model.flags = n
  return true
}

/** pino's serialised error as the semantic conventions' exception.* attributes. */
function addError(attributes: unknown[], err: Record<string, unknown>): void {
  for (const key in err) {
    const name =
      key === 'type'
        ? 'exception.type'
        : key === 'message'
          ? 'exception.message'
          : key === 'stack'
            ? 'exception.stacktrace'
            : `exception.${key}`
    attributes.push(name, err[key])
  }
}

/** A pino record (a parsed JSON object) as a log record; `resource` says which fields go there. */
function fromObject(record: Record<string, unknown>, resource: ResourceFields): LogRecordModel {
  const model = emptyModel()
  const attributes = model.attributes
  for (const key in record) {
    const value = record[key]
    switch (key) {
      case 'time':
        if (setTime(model, value)) continue
        break
      case 'level':
        if (setLevel(model, value)) continue
        break
      case 'msg':
        model.body = value
        continue
      case 'err':
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          addError(attributes, value as Record<string, unknown>)
          continue
        }
        break
      case 'trace_id':
        if (typeof value === 'string' && HEX32.test(value) && !ZEROS.test(value)) {
          model.traceId = value.toLowerCase()
          continue
        }
        break
      case 'span_id':
        if (typeof value === 'string' && HEX16.test(value) && !ZEROS.test(value)) {
          model.spanId = value.toLowerCase()
          continue
        }
        break
      case 'trace_flags':
        if (setFlags(model, value)) continue
        break
      case 'name':
        if (resource.name && typeof value === 'string') {
          model.name = value
          continue
        }
        break
      case 'hostname':
        if (resource.hostname && typeof value === 'string') {
          model.hostname = value
          continue
        }
        break
      case 'pid':
        if (resource.pid && Number.isSafeInteger(value)) {
          model.pid = value as number
          continue
        }
        break
    }
    attributes.push(key, value)
  }
  return model
}

/** One line of pino's as a log record: a line that is not a JSON object is the body, as text. */
export function toLogRecord(line: string, resource: ResourceFields): LogRecordModel {
  if (line.charCodeAt(0) === 0x7b) {
    try {
      // Text starting with '{' parses to an object or not at all.
      return fromObject(JSON.parse(line) as Record<string, unknown>, resource)
    } catch {
      // Not JSON: the text is the message.
    }
  }
  const model = emptyModel()
  model.body = line
  return model
}
