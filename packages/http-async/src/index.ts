// For applications that end a pino.transport themselves: signal, then end() (see the README, Close).
export { signalClose } from '@pino-advanced/core'
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export { SOURCE } from './diagnostics.js'
export type {
  HttpAsyncElasticsearchOptions,
  HttpAsyncLokiOptions,
  HttpAsyncOtlpOptions,
  HttpAsyncSpoolOptions,
} from './option-types.js'
export {
  type BodyFormat,
  COMPRESSIONS,
  type Compression,
  DEFAULTS,
  FORMATS,
  type HttpAsyncOptions,
  type HttpMethod,
  METHODS,
  OPTION_NAMES,
  OPTIONS,
  type OptionName,
  type ResolvedHttpAsyncOptions,
  resolveOptions,
} from './options.js'
export { Reasons, type SendOutcome } from './outcome.js'
export { createHttpAsync, default, deliverUnsent, HttpAsyncStream } from './transport.js'
