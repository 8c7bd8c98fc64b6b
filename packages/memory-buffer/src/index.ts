export { BufferPump, OUTPUT_ERROR, type Output } from './buffer-pump.js'
export { createMemoryBuffer, type LineSink, type MemoryBufferDeps, MemoryBufferStream } from './main-thread.js'
export { type BufferRules, DropReasons, MemoryBuffer } from './memory-buffer.js'
export {
  type BufferMode,
  DEFAULTS,
  MODES,
  OPTION_NAMES,
  type OptionName,
  type ResolvedMemoryBufferOptions,
  resolveOptions,
} from './options.js'
export { default } from './transport.js'
