import { PYTHON_RECORD_FIELDS, PYTHON_UNKNOWN_FIELDS } from '@pino-advanced/core'
import type { BodyEncoder } from './encoder.js'
import { recordText } from './encoder.js'

const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * A pino record as Python's HTTPHandler posts a LogRecord (`urlencode(record.__dict__)`): its
 * attributes by Python's names (core's PYTHON_RECORD_FIELDS, None where the record has
 * nothing), Python's values for what pino does not record (no call site: empty pathname,
 * lineno 0), and every other field of the record as an `extra` attribute, strings as they are
 * and the rest as JSON. A line that is not JSON is the msg.
 */
export function pythonRecord(line: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    parsed = undefined
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : { msg: line }) as Record<string, unknown>
  const fields: Record<string, string> = { ...PYTHON_UNKNOWN_FIELDS }
  for (const [key, get] of Object.entries(PYTHON_RECORD_FIELDS)) {
    const value = get(record)
    fields[key] = value === undefined ? 'None' : str(value)
  }
  // pino's own fields are in the attributes above, by Python's names.
  const { level: _l, time: _t, msg: _m, name: _n, pid: _p, hostname: _h, err: _e, ...extra } = record
  for (const [key, value] of Object.entries(extra)) if (!(key in fields)) fields[key] = str(value)
  return fields
}

/** `format: 'form'`: one record per request, form-urlencoded, as Python's HTTPHandler posts it. */
export function formEncoder(): BodyEncoder {
  return Object.freeze({
    contentType: 'application/x-www-form-urlencoded',
    objectsOnly: false,
    encode: (records, batch) =>
      Buffer.from(new URLSearchParams(pythonRecord(recordText(records, 0, batch))).toString()),
  } satisfies BodyEncoder)
}
