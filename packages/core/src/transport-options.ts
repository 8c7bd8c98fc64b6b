/**
 * Keys pino and thread-stream add to a single `target`'s options before calling the
 * transport (`$context` with the thread-stream version, `pinoWillSendConfig`). They are not
 * the user's: strip them before rejectUnknownKeys, or every single-target use fails.
 */
export const PINO_INJECTED_KEYS: readonly string[] = Object.freeze(['$context', 'pinoWillSendConfig'])

/** The options a transport received, without pino's own keys; anything else unchanged. */
export function withoutPinoKeys(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw
  if (!PINO_INJECTED_KEYS.some((key) => key in raw)) return raw
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) }
  for (const key of PINO_INJECTED_KEYS) delete copy[key]
  return copy
}
