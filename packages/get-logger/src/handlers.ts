import type { RawOptions } from '@pino-advanced/core'
import type { LineStream } from './deferred-stream.js'

/** What getLogger needs of a handler's transport package. */
export interface HandlerKit {
  /** Absolute path of the transport's entry, for a pino worker target. */
  readonly target: string
  /** The package's option validation (throws ConfigError naming `prefix.option`). */
  validate(options: RawOptions, prefix: string): unknown
  /** The package's factory, called on the main thread for `async: false`. */
  create(options: RawOptions): Promise<LineStream>
}

export interface HandlerKits {
  readonly http: HandlerKit
  readonly smtp: HandlerKit
}
