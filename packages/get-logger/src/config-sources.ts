import { readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { ConfigError, type RawOptions, readObject } from '@pino-advanced/core'
import { parse as parseToml } from 'smol-toml'
import { parse as parseYaml } from 'yaml'
import type { EnvText } from './options.js'

/** The prefix of the environment variables that override getLogger's plain options. */
export const ENV_PREFIX = 'PINO_ADVANCED_'

/** Where an option's value came from, for messages: `PINO_ADVANCED_LEVEL`, `logging.yaml`. */
export type Origins = Readonly<Record<string, string>>

/**
 * `config_path`: options from a JSON, YAML or TOML file (by its extension), read once, when
 * getLogger is called. The file holds the same options under the same names.
 */
export function readConfigFile(value: unknown): RawOptions {
  if (typeof value !== 'string' || value === '') {
    throw ConfigError.received('config_path', value, `the path of a .json, .yaml, .yml or .toml file`)
  }
  const path = resolve(value)
  const ext = extname(path).toLowerCase()
  const parse: ((text: string) => unknown) | undefined =
    ext === '.json'
      ? JSON.parse
      : ext === '.yaml' || ext === '.yml'
        ? parseYaml
        : ext === '.toml'
          ? parseToml
          : undefined
  if (parse === undefined) {
    throw ConfigError.invalid(
      'config_path',
      `${path}: expected a .json, .yaml, .yml or .toml file (the extension says how to read it)`,
    )
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw ConfigError.invalid('config_path', `${path} cannot be read (${(err as NodeJS.ErrnoException).code})`)
  }
  let parsed: unknown
  try {
    parsed = parse(text)
  } catch (err) {
    throw ConfigError.invalid(
      'config_path',
      `${path} is not valid ${ext.slice(1).toUpperCase()}: ${(err as Error).message.split('\n')[0]}`,
    )
  }
  return readObject(`config_path (${path})`, parsed)
}

/**
 * The plain options the environment sets: `PINO_ADVANCED_<OPTION>` for each (upper case), and
 * the variables `config_env` names (`{ level: 'MYAPP_LOG_LEVEL' }`), which take precedence over
 * the prefixed ones. A variable that is empty is not set.
 */
export function readEnvironment(
  configEnv: unknown,
  env: NodeJS.ProcessEnv,
  texts: Readonly<Record<string, EnvText>>,
): { readonly options: RawOptions; readonly origins: Origins } {
  const names: Record<string, string> = {}
  for (const option of Object.keys(texts)) names[option] = `${ENV_PREFIX}${option.toUpperCase()}`
  if (configEnv !== undefined) {
    for (const [option, variable] of Object.entries(readObject('config_env', configEnv))) {
      if (texts[option] === undefined) {
        throw ConfigError.invalid(
          `config_env.${option}`,
          `not an option the environment may set; expected one of ${Object.keys(texts).join(', ')}`,
        )
      }
      if (typeof variable !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
        throw ConfigError.received(`config_env.${option}`, variable, `an environment variable's name`)
      }
      names[option] = variable
    }
  }
  const options: Record<string, unknown> = {}
  const origins: Record<string, string> = {}
  for (const [option, variable] of Object.entries(names)) {
    const text = env[variable]
    if (text === undefined || text === '') continue
    options[option] = fromText(variable, text, texts[option] as EnvText)
    origins[option] = variable
  }
  return { options, origins }
}

const TRUE = new Set(['1', 'true', 'yes', 'on'])
const FALSE = new Set(['0', 'false', 'no', 'off'])

/** A variable's text as the option's value. */
function fromText(variable: string, text: string, kind: EnvText): unknown {
  const lower = text.trim().toLowerCase()
  switch (kind) {
    case 'boolean':
      if (TRUE.has(lower)) return true
      if (FALSE.has(lower)) return false
      throw ConfigError.invalid(
        variable,
        `received ${JSON.stringify(text)}; expected true or false (also 1/0, yes/no, on/off)`,
      )
    case 'console':
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text.trim()
    case 'number': {
      const n = Number(lower)
      if (lower === '' || !Number.isFinite(n))
        throw ConfigError.invalid(variable, `received ${JSON.stringify(text)}; expected a number`)
      return n
    }
    case 'level':
      // pino's numbers as numbers; names as they are (the level option reads both).
      return /^\d+$/.test(lower) ? Number(lower) : text.trim()
    default:
      return text
  }
}

/** A ConfigError about an option set by a file or a variable says so. */
export function withOrigin(err: unknown, origins: Origins): unknown {
  if (!(err instanceof ConfigError)) return err
  const head = err.option.split('.')[0] as string
  const origin = origins[head]
  if (origin === undefined) return err
  return new ConfigError(err.code, err.option, `${err.message} (set by ${origin})`)
}
