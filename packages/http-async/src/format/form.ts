import { pythonLevelName } from '@pino-advanced/core'
import type { BodyEncoder } from './encoder.js'
import { recordText } from './encoder.js'

const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * A pino record as Python's HTTPHandler posts a LogRecord (`urlencode(record.__dict__)`): its
 * attribute names, with what pino has (name, msg, levelname and levelno, created and msecs,
 * process, the error's stack as exc_text), Python's values for what it has not (no call
 * site: empty pathname, lineno 0), and every other field of the record as an `extra`
 * attribute, strings as they are and the rest as JSON. A line that is not JSON is the msg.
 */
export function pythonRecord(line: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    parsed = undefined
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : { msg: line }) as Record<string, unknown>
  const { level, time, msg, name, pid, hostname: _hostname, err, ...extra } = record
  const levelno = typeof level === 'number' ? level : 30
  const ms = typeof time === 'number' ? time : Date.parse(String(time))
  const created = Number.isNaN(ms) ? Date.now() : ms
  const stack = (err as { stack?: unknown } | undefined)?.stack
  const fields: Record<string, string> = {
    name: typeof name === 'string' ? name : 'root',
    msg: typeof msg === 'string' ? msg : msg === undefined ? '' : str(msg),
    args: '()',
    levelname: pythonLevelName(typeof level === 'string' ? level : levelno),
    levelno: String(levelno - 10),
    pathname: '',
    filename: '',
    module: '',
    exc_info: 'None',
    exc_text: typeof stack === 'string' ? stack : 'None',
    stack_info: 'None',
    lineno: '0',
    funcName: '',
    created: String(created / 1000),
    msecs: String(created % 1000),
    relativeCreated: '0.0',
    thread: '0',
    threadName: 'MainThread',
    processName: 'MainProcess',
    process: pid === undefined ? 'None' : str(pid),
  }
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
