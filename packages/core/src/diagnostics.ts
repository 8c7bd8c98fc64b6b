import { writeSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const REDACTED = '[REDACTED]'

// Shapes that carry a secret whatever the caller registered: header values, URL userinfo,
// key=value pairs named like secrets.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [
    /\b(authorization|proxy-authorization|x-api-key|api-key|cookie)(["']?\s*[:=]\s*["']?)[^"',\r\n}]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/(\/\/[^/\s:@]*):[^/\s@]*@/g, `$1:${REDACTED}@`],
  [/\b(pass(?:word)?|pwd|secret|token|api_?key)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi, `$1$2${REDACTED}`],
]

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Removes secrets from text bound for stderr: every string in `secrets` (passwords, tokens,
 * header values the user configured) and every shape that looks like a credential.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) {
    // Short strings would redact ordinary words; a 1-3 character password is caught by shape.
    if (secret.length >= 4) out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED)
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/**
 * Writes a line to stderr from any thread. A worker's process.stderr is relayed through the
 * main thread, which is blocked (or gone) while pino ends the worker at exit, so the close
 * reports that matter most were lost: a worker writes fd 2 itself.
 */
export function writeStderr(line: string): void {
  // Worker-only (tap sees the main thread): get-logger's exit.test.ts checks the reports arrive.
  /* c8 ignore start */
  if (!isMainThread) {
    try {
      writeSync(2, line)
      return
    } catch {
      // A full non-blocking pipe (EAGAIN): let the relay have it.
    }
  }
  /* c8 ignore stop */
  process.stderr.write(line)
}

export interface DiagnosticsOptions {
  /** Prefix of every line, the package name (`pino-advanced/http-async`). */
  readonly source: string
  /** At most one line per key in this window; the rest are counted and summarised. */
  readonly intervalMs?: number
  /** Strings that must never be printed (passwords, tokens, header values). */
  readonly secrets?: readonly string[]
  readonly write?: (line: string) => void
  readonly now?: () => number
}

export interface Diagnostics {
  /** Reports a problem on stderr, at most once per `intervalMs` for the same key. */
  report(key: string, message: string): void
  /** Reports regardless of the rate limit (final summaries on close). */
  always(message: string): void
}

/**
 * Diagnostics for a transport: never through the logger it serves (that could loop), always
 * to stderr, redacted, and rate-limited per key so that an outage prints a line a minute, not
 * a line a record.
 */
export function createDiagnostics(options: DiagnosticsOptions): Diagnostics {
  const { source, intervalMs = 60_000, secrets = [] } = options
  const write = options.write ?? writeStderr
  const now = options.now ?? Date.now
  const windows = new Map<string, { until: number; suppressed: number }>()
  const emit = (message: string) => write(`${source}: ${redact(message, secrets)}\n`)

  return {
    report(key, message) {
      const t = now()
      const window = windows.get(key)
      if (window && t < window.until) {
        window.suppressed++
        return
      }
      const suppressed = window?.suppressed ?? 0
      windows.set(key, { until: t + intervalMs, suppressed: 0 })
      emit(suppressed > 0 ? `${message} (${suppressed} similar suppressed)` : message)
    },
    always: emit,
  }
}
