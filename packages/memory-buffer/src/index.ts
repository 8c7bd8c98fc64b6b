// The documented API (README, API): the transport, createMemoryBuffer, the command, the
// options and the buffer's semantics. Streams' internals (pump, line stores) stay private.
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export { createMemoryBuffer, type LineSink, MemoryBufferStream } from './main-thread.js'
export { type BufferRules, DropReasons, MemoryBuffer, type Release } from './memory-buffer.js'
export {
  type BufferMode,
  DEFAULTS,
  MAX_CAPACITY,
  type MemoryBufferOptions,
  MODES,
  OPTION_NAMES,
  OPTIONS,
  type OptionName,
  type ResolvedMemoryBufferOptions,
  resolveOptions,
} from './options.js'
export { default } from './transport.js'
