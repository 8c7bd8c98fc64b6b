import { ConfigError } from '@pino-advanced/core'

/**
 * An index name, or a pattern whose `%{+...}` parts are the record's date in UTC, written as
 * Logstash writes them (`logs-%{+yyyy.MM.dd}` gives `logs-2026.12.03`). Inside the braces:
 * `yyyy`, `yy`, `MM`, `dd`, `HH` and any character that is not a letter, as it is.
 * pino-elasticsearch's `%{DATE}` (`2026-12-03`) is read as `%{+yyyy-MM-dd}`.
 */
export interface IndexPattern {
  /** The name as written when there is no date part (nothing to read in the records). */
  readonly fixed: string | undefined
  /** The index of a record of `epochMs` (UTC). */
  name(epochMs: number): string
}

type Token = 'yyyy' | 'yy' | 'MM' | 'dd' | 'HH'
type Part = string | { readonly token: Token }

const TOKENS: readonly Token[] = ['yyyy', 'yy', 'MM', 'dd', 'HH']
/** The supported syntax, for error messages. */
export const INDEX_SYNTAX = `a date part is %{+FORMAT} with FORMAT made of ${TOKENS.join(', ')} and separators (or %{DATE})`

// Elasticsearch's rules for an index name (MetadataCreateIndexService.validateIndexOrAliasName),
// and control characters, which the action line (JSON) could not carry as they are.
const FORBIDDEN = /[\\/*?"<>| ,#:]|\p{Cc}/u
const MAX_NAME_BYTES = 255

function parseFormat(option: string, format: string, parts: Part[]): void {
  for (let at = 0; at < format.length; ) {
    const token = TOKENS.find((t) => format.startsWith(t, at))
    if (token !== undefined) {
      parts.push({ token })
      at += token.length
      continue
    }
    const char = format[at] as string
    if (/[A-Za-z]/.test(char)) {
      throw ConfigError.invalid(option, `"${char}" at "%{+${format}}" is not a supported date token; ${INDEX_SYNTAX}`)
    }
    parts.push(char)
    at++
  }
}

function parse(option: string, text: string): Part[] {
  const parts: Part[] = []
  let at = 0
  while (at < text.length) {
    const open = text.indexOf('%{', at)
    if (open === -1) break
    const close = text.indexOf('}', open)
    if (close === -1) throw ConfigError.invalid(option, `"%{" without its "}"; ${INDEX_SYNTAX}`)
    if (open > at) parts.push(text.slice(at, open))
    const inner = text.slice(open + 2, close)
    if (inner === 'DATE') parseFormat(option, 'yyyy-MM-dd', parts)
    else if (inner.startsWith('+') && inner.length > 1) parseFormat(option, inner.slice(1), parts)
    else throw ConfigError.invalid(option, `"%{${inner}}" is not supported; ${INDEX_SYNTAX}`)
    at = close + 1
  }
  if (at < text.length) parts.push(text.slice(at))
  return parts
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`)

function expand(parts: readonly Part[], epochMs: number): string {
  const date = new Date(epochMs)
  let name = ''
  for (const part of parts) {
    if (typeof part === 'string') {
      name += part
      continue
    }
    switch (part.token) {
      case 'yyyy':
        name += `${date.getUTCFullYear()}`.padStart(4, '0')
        break
      case 'yy':
        name += pad2(date.getUTCFullYear() % 100)
        break
      case 'MM':
        name += pad2(date.getUTCMonth() + 1)
        break
      case 'dd':
        name += pad2(date.getUTCDate())
        break
      case 'HH':
        name += pad2(date.getUTCHours())
        break
    }
  }
  return name
}

/** Checks a name against Elasticsearch's rules; undefined when it is valid. */
function indexNameProblem(name: string): string | undefined {
  if (name === '') return 'an index name cannot be empty'
  if (name !== name.toLowerCase()) return 'an index name must be lowercase'
  const bad = FORBIDDEN.exec(name)
  if (bad !== null) {
    return `an index name cannot contain ${JSON.stringify(bad[0])} (nor \\ / * ? " < > | , # : or a space)`
  }
  if (/^[-_+]/.test(name)) return 'an index name cannot start with -, _ or +'
  if (name === '.' || name === '..') return 'an index name cannot be "." or ".."'
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `an index name is at most ${MAX_NAME_BYTES} bytes`
  return undefined
}

/**
 * Reads `text` as an index name or pattern; a ConfigError naming `option` says what is wrong.
 * The literal parts are checked as Elasticsearch would check the name (a date part is digits).
 */
export function compileIndexPattern(option: string, text: string): IndexPattern {
  const parts = parse(option, text)
  // The longest name the pattern gives: a 4-digit year, all else 2 digits.
  const sample = expand(parts, Date.UTC(2026, 11, 31, 23))
  const problem = indexNameProblem(sample)
  if (problem !== undefined) throw ConfigError.invalid(option, `received ${JSON.stringify(text)}; ${problem}`)
  if (parts.every((p) => typeof p === 'string')) {
    const fixed = parts.join('')
    return Object.freeze({ fixed, name: () => fixed })
  }
  return Object.freeze({ fixed: undefined, name: (epochMs: number) => expand(parts, epochMs) })
}
