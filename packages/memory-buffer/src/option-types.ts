import type { BufferMode } from './options.js'

/**
 * The options of `@pino-advanced/memory-buffer` and `createMemoryBuffer` (checked again at run
 * time: a ConfigError names what is wrong).
 */
export interface MemoryBufferOptions {
  /** Records held: in batch mode reaching it releases, in ring mode the oldest goes past it. Default 100. */
  readonly capacity?: number
  /** A record at or above it releases the buffer: a pino or Python name, a pino number, or a custom level. Default `'error'`. */
  readonly flushLevel?: string | number
  /** Batch mode: also release this often; 0 = never. Default 0. */
  readonly flushIntervalMs?: number
  /** Bytes held at most. Default: no bound. */
  readonly maxBytes?: number
  /** Default `'batch'` (Python's MemoryHandler); `'ring'` keeps the newest until flushLevel. */
  readonly mode?: BufferMode
  /** A path or an fd: a final target. Without: a pipeline stage (or stdout, alone). */
  readonly destination?: string | number
  /** Default `'memory-buffer'`. */
  readonly statsName?: string
  /** Default 5000. */
  readonly closeTimeoutMs?: number
}
