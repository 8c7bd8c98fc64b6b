import { prettyFactory } from 'pino-pretty'
import { compilePercentFormat } from './percent-format.js'

/** How a console or file destination writes records: pino's JSON, or text. */
export type LineFormat =
  | { readonly kind: 'color' }
  /** Python's %-style `fmt`; `known`: the extra fields a record has (the logger's context). */
  | { readonly kind: 'fmt'; readonly fmt: string; readonly known: readonly string[] }

/** A pino line (no newline) to the text written for it, newline included. */
export type LineFormatter = (line: string) => string

/**
 * The formatter of a destination, made once (in the worker, from the plain data above).
 * `color` is pino-pretty's, the ecosystem's: time, level, name, message, then the fields, in
 * colour whatever the terminal says (asked for). A line that is not JSON is written as it is.
 */
export function lineFormatter(format: LineFormat): LineFormatter {
  if (format.kind === 'color') {
    const pretty = prettyFactory({ colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' })
    return (line) => pretty(line)
  }
  const render = compilePercentFormat('fmt', format.fmt, new Set(format.known))
  return (line) => {
    let record: unknown
    try {
      record = JSON.parse(line)
    } catch {
      return `${line}\n`
    }
    return typeof record === 'object' && record !== null
      ? `${render(record as Record<string, unknown>)}\n`
      : `${line}\n`
  }
}

/** Every line of a chunk (whole lines, each ending in a newline), formatted. */
export function formatChunk(chunk: string, format: LineFormatter): string {
  let out = ''
  let start = 0
  for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
    out += format(chunk.slice(start, end))
    start = end + 1
  }
  return out
}
