export { BufferPump, OUTPUT_ERROR, type Output } from './buffer-pump.js'
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export { ByteSpans, type LineStore, spanLevel, TextLines } from './line-store.js'
export { createMemoryBuffer, type LineSink, type MemoryBufferDeps, MemoryBufferStream } from './main-thread.js'
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
export { DESTROYED, default, MemoryBufferStage, MemoryBufferTarget } from './transport.js'
