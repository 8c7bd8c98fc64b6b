import { describeValue } from './describe.js'

/** Stable error codes; users may match on them, so they never change meaning (docs/get-logger.md, Errors). */
export const ErrorCodes = Object.freeze({
  /** An option has a value outside what it allows. */
  INVALID_OPTION: 'PA_INVALID_OPTION',
  /** An option name is not known (a typo, usually). */
  UNKNOWN_OPTION: 'PA_UNKNOWN_OPTION',
  /** A required option is missing. */
  MISSING_OPTION: 'PA_MISSING_OPTION',
  /** The same logger name was configured twice with different options. */
  CONFLICTING_OPTIONS: 'PA_CONFLICTING_OPTIONS',
  /** A durable spool directory is already in use by a live process (or another transport). */
  SPOOL_IN_USE: 'PA_SPOOL_IN_USE',
} as const)

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

const kPinoAdvancedError = Symbol.for('pino-advanced.error')
const kConfigError = Symbol.for('pino-advanced.error.config')
const kSpoolInUseError = Symbol.for('pino-advanced.error.spool-in-use')

/** Whether `value` carries `brand`: what `instanceof` checks, rather than the prototype chain. */
function branded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
}

/**
 * The base of every error this project throws: a stable `code` to match on, and the `cause`.
 * `instanceof` checks a `Symbol.for` brand, not the prototype chain, so that two installed
 * copies of core (a package nested under another's node_modules) still agree, as undici's
 * errors do with kUndiciError. The brand is a prototype getter: it adds no own property.
 */
export class PinoAdvancedError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, kPinoAdvancedError)
  }

  get [kPinoAdvancedError](): true {
    return true
  }
}

/** Thrown, synchronously and before any worker starts, for every invalid configuration. */
export class ConfigError extends PinoAdvancedError {
  override readonly name = 'ConfigError'
  /** The option at fault, dotted from the top (`http_handler.maxBatchRecords`). */
  readonly option: string

  constructor(code: ErrorCode, option: string, message: string, options?: ErrorOptions) {
    super(code, message, options)
    this.option = option
  }

  /** A value outside what `option` allows: the message is `${option}: ${message}`. */
  static invalid(option: string, message: string, options?: ErrorOptions): ConfigError {
    return new ConfigError(ErrorCodes.INVALID_OPTION, option, `${option}: ${message}`, options)
  }

  /** A value that is not one `option` takes: `${option}: received 3; expected a string`. */
  static received(option: string, value: unknown, expected: string, options?: ErrorOptions): ConfigError {
    return ConfigError.invalid(option, `received ${describeValue(value)}; expected ${expected}`, options)
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, kConfigError)
  }

  get [kConfigError](): true {
    return true
  }
}

/**
 * A durable spool directory is held by a live process (or another transport of this one): not
 * a mistake in the options, which are valid, but a state of the machine (a second instance
 * started, a deploy overlapping the old process). Retrying after the other one ends succeeds.
 */
export class SpoolInUseError extends PinoAdvancedError {
  override readonly name = 'SpoolInUseError'
  declare readonly code: typeof ErrorCodes.SPOOL_IN_USE
  /** The option naming the directory (`spool.dir`). */
  readonly option: string
  /** The pid holding it. */
  readonly owner: number

  constructor(option: string, owner: number, message: string, options?: ErrorOptions) {
    super(ErrorCodes.SPOOL_IN_USE, message, options)
    this.option = option
    this.owner = owner
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, kSpoolInUseError)
  }

  get [kSpoolInUseError](): true {
    return true
  }
}
