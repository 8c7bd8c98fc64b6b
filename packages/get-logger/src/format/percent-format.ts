import { ConfigError, PYTHON_RECORD_FIELDS, PYTHON_UNKNOWN_FIELDS, recordTimeMs } from '@pino-advanced/core'

/**
 * Python's %-style format strings (logging.Formatter's default style) over pino records:
 * `%(asctime)s [%(levelname)-8s] %(name)s: %(message)s`. Each `%(field)` takes Python's
 * conversion spec: flags (`-` left-justify, `0` zero-pad, `+`, space), width, `.precision`, and
 * a type (`s`, `r`, `d`, `i`, `f`: the ones logging formats use); `%%` is a percent sign.
 */
export type RecordFormat = (record: Readonly<Record<string, unknown>>) => string

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Python's default asctime: `2026-12-03 14:05:09,123`, local time. */
function asctime(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
}

/** The message, and an error's stack after it on its own lines, as Python appends exc_text. */
function message(r: Readonly<Record<string, unknown>>): string {
  const text = PYTHON_RECORD_FIELDS.msg(r)
  const stack = PYTHON_RECORD_FIELDS.exc_text(r)
  return stack === undefined ? text : text === '' ? stack : `${text}\n${stack}`
}

/** Python's LogRecord attributes that pino's records can give, and Formatter's own. */
const FIELDS: Readonly<Record<string, (r: Readonly<Record<string, unknown>>) => unknown>> = {
  asctime: (r) => asctime(recordTimeMs(r)),
  ...PYTHON_RECORD_FIELDS,
  message,
  hostname: (r) => r.hostname,
}

const SPEC = /%\((\w+)\)([-0+ #]*)(\d*)(?:\.(\d+))?([srdif])|%%|%/g

/**
 * Compiles `fmt` once. A field must be one of Python's that pino has (see FIELDS) or one of
 * `known` (the logger's `context` keys, fields every record has); anything else, or a call-site
 * field, is a ConfigError naming it (`option`), as a KeyError would be at the first record.
 */
export function compilePercentFormat(option: string, fmt: string, known: ReadonlySet<string>): RecordFormat {
  const parts: (string | ((r: Readonly<Record<string, unknown>>) => string))[] = []
  let last = 0
  for (const match of fmt.matchAll(SPEC)) {
    parts.push(fmt.slice(last, match.index))
    last = match.index + match[0].length
    if (match[0] === '%%') {
      parts.push('%')
      continue
    }
    const [, field, flags = '', width = '', precision, type] = match
    if (field === undefined || type === undefined) {
      throw ConfigError.invalid(option, `a lone '%' at ${match.index}: write '%%' for a percent sign, or %(field)s`)
    }
    const get = FIELDS[field] ?? (known.has(field) ? (r: Readonly<Record<string, unknown>>) => r[field] : undefined)
    if (get === undefined) {
      const why = Object.hasOwn(PYTHON_UNKNOWN_FIELDS, field)
        ? 'pino records no call site (file, line, function), call arguments or start time for a record'
        : `expected one of ${[...Object.keys(FIELDS), ...known].join(', ')}`
      throw ConfigError.invalid(option, `%(${field}) is not a field here: ${why}`)
    }
    parts.push((r) => convert(get(r), flags, width === '' ? 0 : Number(width), precision, type))
  }
  parts.push(fmt.slice(last))
  return (record) => {
    let out = ''
    for (const part of parts) out += typeof part === 'string' ? part : part(record)
    return out
  }
}

/** Python's %-conversion of one value. */
function convert(value: unknown, flags: string, width: number, precision: string | undefined, type: string): string {
  let text: string
  const n = Number(value)
  switch (type) {
    case 's':
      text = typeof value === 'string' ? value : value === undefined ? 'None' : JSON.stringify(value)
      if (precision !== undefined) text = text.slice(0, Number(precision))
      break
    case 'r':
      text = JSON.stringify(value) ?? 'None'
      break
    case 'f':
      text = n.toFixed(precision === undefined ? 6 : Number(precision))
      break
    default: // d, i
      text = String(Math.trunc(n))
  }
  if (type !== 's' && type !== 'r') {
    if (flags.includes('+') && n >= 0) text = `+${text}`
    else if (flags.includes(' ') && n >= 0) text = ` ${text}`
  }
  if (text.length >= width) return text
  if (flags.includes('-')) return text.padEnd(width)
  const zero = flags.includes('0') && type !== 's' && type !== 'r'
  if (!zero) return text.padStart(width)
  const sign = /^[+ -]/.test(text) ? (text[0] as string) : ''
  return sign + text.slice(sign.length).padStart(width - sign.length, '0')
}
