import {
  ConfigError,
  describeValue,
  type RawOptions,
  readObject,
  readOptionEntries,
  rejectUnknownKeys,
} from '@pino-advanced/core'
import { readConfigFile, readEnvironment, withOrigin } from './config-sources.js'
import { camel, ENV_TEXT, OPTION_NAMES, OPTIONS, type ResolvedLoggerOptions, TWINS } from './options.js'
import { comparablePinoOptions, customLevelsOf, readPinoOptions } from './pino-options.js'

// getLogger's options resolved from their sources (the call, config_path, the environment),
// both spellings folded onto the table's names; the table itself is options.ts.

/** Validates the transport-specific part of a handler; supplied by the wiring, per handler. */
export type HandlerValidator = (options: RawOptions, prefix: string) => void

export interface HandlerValidators {
  readonly smtp_handler?: HandlerValidator
  readonly http_handler?: HandlerValidator
}

/** Folds camelCase twins onto the snake_case names; both given with different values is an error. */
function canonicalise(raw: RawOptions, spelling: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw }
  for (const [snake, twin] of Object.entries(TWINS)) {
    if (!(twin in out)) continue
    if (snake in out && JSON.stringify(out[snake]) !== JSON.stringify(out[twin])) {
      throw ConfigError.invalid(
        twin,
        `received ${describeValue(out[twin])} while ${snake} is ${describeValue(out[snake])}; give one of the two`,
      )
    }
    out[snake] = out[twin]
    delete out[twin]
    spelling[snake] = twin
  }
  return out
}

/** An error about a folded twin names the option as the user spelled it (`useQueue`). */
function respell(err: unknown, spelling: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof ConfigError)) return err
  const [head = '', ...rest] = err.option.split('.')
  const spelled = spelling[head]
  if (spelled === undefined) return err
  const option = [spelled, ...rest].join('.')
  return new ConfigError(err.code, option, option + err.message.slice(err.option.length))
}

/**
 * Validates every getLogger option in the main thread, before any worker starts, and resolves
 * them into one readonly object. Every mistake is a ConfigError naming the option.
 */
export function resolveLoggerOptions(
  input: unknown,
  validators: HandlerValidators = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedLoggerOptions {
  const spelling: Record<string, string> = {}
  const given = canonicalise(readObject('options', input), spelling)
  const { config_path: configPath, config_env: configEnv, ...explicit } = given
  // Precedence: the environment (the operator's override), then the call's own arguments,
  // then the config file, then the defaults.
  const file = configPath === undefined ? {} : canonicalise(readConfigFile(configPath), {})
  const environment = readEnvironment(configEnv, env, ENV_TEXT)
  const origins: Record<string, string> = {}
  for (const key of Object.keys(file)) if (!(key in explicit)) origins[key] = String(configPath)
  Object.assign(origins, environment.origins)
  const canonical = { ...file, ...explicit, ...environment.options }
  try {
    return resolveCanonical(canonical, validators)
  } catch (err) {
    throw withOrigin(respell(err, spelling), origins)
  }
}

function resolveCanonical(canonical: Record<string, unknown>, validators: HandlerValidators): ResolvedLoggerOptions {
  rejectUnknownKeys('', canonical, OPTION_NAMES)
  const pinoOptions = readPinoOptions(canonical)
  const read = readOptionEntries(OPTIONS, '', canonical, customLevelsOf(pinoOptions))
  for (const key of ['smtp_handler', 'http_handler'] as const) {
    const handler = read[key]
    if (handler !== undefined) validators[key]?.(handler.options, key)
  }
  // Each read value under its camelCase name: what ResolvedLoggerOptions' mapped type says.
  const resolved: Record<string, unknown> = Object.fromEntries(
    Object.entries(read).map(([key, value]) => [camel(key), value]),
  )
  // Resolved values under the documented names: 'WARNING' and 40 compare equal, as do an
  // option left out and the same option given at its default.
  const comparable = {
    ...read,
    pino: comparablePinoOptions(pinoOptions),
    filter_func: read.filter_func === undefined ? undefined : `${read.filter_func}`,
  }
  return Object.freeze({
    ...resolved,
    pino: pinoOptions,
    canonical: Object.freeze(comparable),
  }) as unknown as ResolvedLoggerOptions
}

/** The top-level keys whose values differ between two canonical option sets. */
export function differingKeys(a: RawOptions, b: RawOptions): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort()
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  ) as string
}
