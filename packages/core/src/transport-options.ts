import type { CustomLevels } from './levels.js'

/**
 * Keys pino and thread-stream add to a single `target`'s options before calling the
 * transport (`$context` with the thread-stream version, `pinoWillSendConfig`; `levels` and
 * `dedupe` from the logger's `customLevels` and `dedupe`). They are not the user's: strip them
 * before rejectUnknownKeys, or every such single-target use fails.
 */
export const PINO_INJECTED_KEYS: readonly string[] = Object.freeze([
  '$context',
  'pinoWillSendConfig',
  'levels',
  'dedupe',
])

/** The logger's custom levels pino passed a single target (`levels`), if any. */
export function pinoLevels(raw: unknown): CustomLevels | undefined {
  const levels = (raw as { levels?: unknown } | null)?.levels
  if (typeof levels !== 'object' || levels === null) return undefined
  const entries = Object.entries(levels).filter(([, n]) => typeof n === 'number')
  return Object.freeze(Object.fromEntries(entries)) as CustomLevels
}

/** The options a transport received, without pino's own keys; anything else unchanged. */
export function withoutPinoKeys(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw
  if (!PINO_INJECTED_KEYS.some((key) => key in raw)) return raw
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) }
  for (const key of PINO_INJECTED_KEYS) delete copy[key]
  return copy
}
