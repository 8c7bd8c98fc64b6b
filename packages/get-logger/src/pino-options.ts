import { ConfigError, type CustomLevels, type RawOptions } from '@pino-advanced/core'
import type { LoggerOptions } from 'pino'

/**
 * pino's own logger options that getLogger takes as pino does. They act on the main thread
 * before a record is serialised (functions and plain data: nothing crosses to the worker).
 * `name` and `level` are getLogger's own options; `transport` and `browser` are not offered:
 * getLogger wires the destinations.
 */
const KINDS = {
  redact: ['object', 'array'],
  serializers: ['object'],
  formatters: ['object'],
  timestamp: ['boolean', 'function'],
  base: ['object', 'null'],
  mixin: ['function'],
  messageKey: ['string'],
  errorKey: ['string'],
  nestedKey: ['string'],
  customLevels: ['object'],
  useOnlyCustomLevels: ['boolean'],
  hooks: ['object'],
  msgPrefix: ['string'],
  depthLimit: ['number'],
  edgeLimit: ['number'],
  enabled: ['boolean'],
  crlf: ['boolean'],
} as const satisfies Record<string, readonly string[]>

export const PINO_OPTION_NAMES = Object.freeze(Object.keys(KINDS)) as readonly (keyof typeof KINDS)[]

export type PinoLoggerOptions = Readonly<Pick<LoggerOptions, keyof typeof KINDS>>

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** The pino options given, each checked for its kind (pino checks the rest when it builds the logger). */
export function readPinoOptions(options: RawOptions): PinoLoggerOptions {
  const out: Record<string, unknown> = {}
  for (const name of PINO_OPTION_NAMES) {
    const value = options[name]
    if (value === undefined) continue
    const kinds: readonly string[] = KINDS[name]
    if (!kinds.includes(kindOf(value))) {
      throw ConfigError.received(name, value, `${kinds.join(' or ')} (pino's ${name} option)`)
    }
    out[name] = value
  }
  const custom = out.customLevels as Record<string, unknown> | undefined
  for (const [level, n] of Object.entries(custom ?? {})) {
    if (!Number.isInteger(n) || (n as number) < 1) {
      throw ConfigError.received(`customLevels.${level}`, n, `a positive integer (a pino level number)`)
    }
  }
  return Object.freeze(out)
}

/** The custom levels, for the level options that may name them. */
export function customLevelsOf(options: PinoLoggerOptions): CustomLevels | undefined {
  return options.customLevels as CustomLevels | undefined
}

/**
 * pino options in a form the same-name rule can compare: functions by their source, so that
 * the same code written in two modules (an inline serializer) compares equal.
 */
export function comparablePinoOptions(options: PinoLoggerOptions): unknown {
  return JSON.parse(JSON.stringify(options, (_key, value) => (typeof value === 'function' ? `${value}` : value)))
}
