/** Stable error codes; users may match on them, so they never change meaning. */
export const ErrorCodes = {
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
} as const

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

/** Thrown, synchronously and before any worker starts, for every invalid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly code: ErrorCode
  /** The option at fault, dotted from the top (`http_handler.maxBatchRecords`). */
  readonly option: string

  constructor(code: ErrorCode, option: string, message: string) {
    super(message)
    this.code = code
    this.option = option
  }
}

/**
 * A durable spool directory is held by a live process (or another transport of this one): not
 * a mistake in the options, which are valid, but a state of the machine (a second instance
 * started, a deploy overlapping the old process). Retrying after the other one ends succeeds.
 */
export class SpoolInUseError extends Error {
  override readonly name = 'SpoolInUseError'
  readonly code = ErrorCodes.SPOOL_IN_USE
  /** The option naming the directory (`spool.dir`). */
  readonly option: string
  /** The pid holding it. */
  readonly owner: number

  constructor(option: string, owner: number, message: string) {
    super(message)
    this.option = option
    this.owner = owner
  }
}
