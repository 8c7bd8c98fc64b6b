// For applications that end a pino.transport themselves: signal, then end() (see the README, Close).
export { signalClose } from '@pino-advanced/core'
export { batchBody, CONTENT_TYPES } from './body.js'
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export { type Clock, SYSTEM_CLOCK } from './delivery/clock.js'
export { DeliveryEngine, type DeliveryRules, type Send } from './delivery/engine.js'
export { SOURCE } from './diagnostics.js'
export { type Endpoint, resolveEndpoint } from './endpoint.js'
export { basicAuthorization } from './headers.js'
export type {
  HttpAsyncElasticsearchOptions,
  HttpAsyncLokiOptions,
  HttpAsyncOptions,
  HttpAsyncOtlpOptions,
} from './option-types.js'
export {
  type BodyFormat,
  COMPRESSIONS,
  type Compression,
  DEFAULTS,
  FORMATS,
  type HttpMethod,
  METHODS,
  OPTION_NAMES,
  type OptionName,
  type ResolvedHttpAsyncOptions,
  resolveOptions,
} from './options.js'
export { classifyError, classifyStatus, RETRYABLE_STATUSES, Reasons, type SendOutcome } from './outcome.js'
export { recordQuery } from './query.js'
export { createHttpAsync, default, deliverUnsent, type HttpAsyncDeps, HttpAsyncStream } from './transport.js'
