import { pythonLevelName } from './levels.js'

/** A pino record, parsed. */
type Fields = Readonly<Record<string, unknown>>

/** The record's time in ms: pino's epoch number or an ISO string (isoTime); now when neither. */
export function recordTimeMs(r: Fields): number {
  const time = r.time
  if (typeof time === 'number') return time
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN
  return Number.isNaN(parsed) ? Date.now() : parsed
}

const levelOf = (r: Fields): number => (typeof r.level === 'number' ? r.level : 30)

/**
 * Python's LogRecord attributes that a pino record gives, by their Python names (for `fmt`
 * and for the HTTP form Python's HTTPHandler posts): undefined where the record has nothing
 * (no pid, no error), which Python prints as None.
 */
export const PYTHON_RECORD_FIELDS = Object.freeze({
  name: (r: Fields) => (typeof r.name === 'string' ? r.name : 'root'),
  msg: (r: Fields) => (typeof r.msg === 'string' ? r.msg : r.msg === undefined ? '' : JSON.stringify(r.msg)),
  // A label (formatters.level) as it is; a custom number as Python prints an unnamed level.
  levelname: (r: Fields) => pythonLevelName(typeof r.level === 'string' ? r.level : levelOf(r)),
  // Python's numbers: pino's 30 (info) is Python's 20 (INFO).
  levelno: (r: Fields) => levelOf(r) - 10,
  created: (r: Fields) => recordTimeMs(r) / 1000,
  msecs: (r: Fields) => recordTimeMs(r) % 1000,
  exc_text: (r: Fields) => {
    const stack = (r.err as { stack?: unknown } | undefined)?.stack
    return typeof stack === 'string' ? stack : undefined
  },
  process: (r: Fields) => r.pid,
  processName: () => 'MainProcess',
  thread: () => 0,
  threadName: () => 'MainThread',
} satisfies Record<string, (r: Fields) => unknown>)

/**
 * Python's attributes that pino does not record (the call site, the call's arguments, the time
 * since logging began), with the values a LogRecord has when they are unknown.
 */
export const PYTHON_UNKNOWN_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  args: '()',
  pathname: '',
  filename: '',
  module: '',
  exc_info: 'None',
  stack_info: 'None',
  lineno: '0',
  funcName: '',
  relativeCreated: '0.0',
})
