import {
  ConfigError,
  describeValue,
  ErrorCodes,
  optionPath,
  type RawOptions,
  readEnum,
  readObject,
  rejectUnknownKeys,
} from '@pino-advanced/core'
import { ENV, type Environment, envEndpoint, envEnum, envHeaders, envValue, parsePairs } from './env.js'

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number]
export const OTLP_OPTION_NAMES = ['protocol', 'resource'] as const

/** A resource attribute as the user gives it. */
export type ResourceValue = string | number | boolean

export interface ResolvedOtlpOptions {
  readonly protocol: OtlpProtocol
  /**
   * The resource attributes the configuration gives: `otlp.resource` over OTEL_SERVICE_NAME
   * over OTEL_RESOURCE_ATTRIBUTES. A record's name, hostname and pid fill in the ones missing.
   */
  readonly resource: Readonly<Record<string, ResourceValue>>
}

/** What format 'otlp' adds to the transport's options. */
export interface OtlpSettings {
  /** undefined unless the format is 'otlp'. */
  readonly otlp: ResolvedOtlpOptions | undefined
  /** The options as given, with the environment's url and compression where the user gave none. */
  readonly options: RawOptions
  /** Headers from the environment (names lower-cased); the user's headers and credentials win. */
  readonly headers: Readonly<Record<string, string>>
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

function readResource(option: string, value: unknown): Record<string, ResourceValue> {
  const resource: Record<string, ResourceValue> = {}
  for (const [key, v] of Object.entries(readObject(option, value))) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
    if (!ok) {
      throw ConfigError.invalid(
        optionPath(option, key),
        `received ${describeValue(v)}; expected a string, a number or a boolean`,
      )
    }
    resource[key] = v
  }
  return resource
}

/** The options' endpoint, or the environment's; an error saying which variables would serve. */
function endpointUrl(prefix: string, options: RawOptions, env: Environment): string | undefined {
  if (options.url !== undefined || options.host !== undefined) return undefined
  const url = envEndpoint(env)
  if (url !== undefined) return url
  const option = optionPath(prefix, 'url')
  throw new ConfigError(
    ErrorCodes.MISSING_OPTION,
    option,
    `${option}: required; expected an absolute http(s) URL ('http://collector:4318/v1/logs'); with format 'otlp', ${ENV.LOGS_ENDPOINT} (the URL as it is) or ${ENV.ENDPOINT} (a base URL, /v1/logs appended) would also serve`,
  )
}

/**
 * The `otlp` sub-options and the OpenTelemetry environment variables, read only with format
 * 'otlp' (explicit options win over the environment). `otlp` with another format is an error.
 */
export function resolveOtlp(prefix: string, options: RawOptions, format: string, env: Environment): OtlpSettings {
  const option = optionPath(prefix, 'otlp')
  if (format !== 'otlp') {
    if (options.otlp !== undefined)
      throw ConfigError.invalid(option, `only applies with format 'otlp' (format is '${format}')`)
    return { otlp: undefined, options, headers: NO_HEADERS }
  }
  const otlp = readObject(option, options.otlp)
  rejectUnknownKeys(option, otlp, OTLP_OPTION_NAMES)
  const protocol =
    otlp.protocol === undefined
      ? (envEnum(
          env,
          [ENV.LOGS_PROTOCOL, ENV.PROTOCOL],
          OTLP_PROTOCOLS,
          ' (grpc is not supported: this transport speaks OTLP/HTTP)',
        ) ?? 'http/protobuf')
      : readEnum(option, otlp, 'protocol', OTLP_PROTOCOLS, 'http/protobuf')
  const attributes = envValue(env, ENV.RESOURCE_ATTRIBUTES)
  const resource: Record<string, ResourceValue> =
    attributes === undefined ? {} : parsePairs(ENV.RESOURCE_ATTRIBUTES, attributes, false)
  const serviceName = envValue(env, ENV.SERVICE_NAME)
  if (serviceName !== undefined) resource['service.name'] = serviceName
  Object.assign(resource, readResource(optionPath(option, 'resource'), otlp.resource))
  const url = endpointUrl(prefix, options, env)
  const compression =
    options.compression === undefined
      ? envEnum(env, [ENV.LOGS_COMPRESSION, ENV.COMPRESSION], ['gzip', 'none'])
      : undefined
  const filled = url === undefined && compression === undefined ? options : { ...options }
  if (url !== undefined) (filled as Record<string, unknown>).url = url
  if (compression !== undefined) (filled as Record<string, unknown>).compression = compression
  return {
    otlp: Object.freeze({ protocol, resource: Object.freeze(resource) }),
    options: filled,
    headers: envHeaders(env),
  }
}

/**
 * The environment's headers under the user's: `headers` wins name by name, and with
 * `credentials` the environment's Authorization is left out (explicit options win).
 */
export function withEnvHeaders(
  env: Readonly<Record<string, string>>,
  user: Readonly<Record<string, string>>,
  hasCredentials: boolean,
): Readonly<Record<string, string>> {
  if (env === NO_HEADERS) return user
  const { authorization, ...rest } = env
  const under = hasCredentials || authorization === undefined ? rest : { ...rest, authorization }
  return Object.freeze({ ...under, ...user })
}
