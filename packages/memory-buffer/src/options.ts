import {
  ConfigError,
  type CustomLevels,
  closeTimeoutOption,
  customOption,
  enumOption,
  levelOption,
  MAX_TIMER_MS,
  numberOption,
  type OptionsOf,
  optionNames,
  optionPath,
  type RawOptions,
  readOptionTable,
  statsNameOption,
} from '@pino-advanced/core'

export const MODES = ['batch', 'ring'] as const
export type BufferMode = (typeof MODES)[number]

/** The most records a buffer holds: getLogger's memory_capacity has the same bound. */
export const MAX_CAPACITY = 10_000_000

function readDestination(prefix: string, options: RawOptions, key: string): string | number | undefined {
  const value = options[key]
  if (value === undefined || (typeof value === 'string' && value !== '')) return value
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  const option = optionPath(prefix, key)
  throw ConfigError.received(
    option,
    value,
    `a file path (a non-empty string) or a file descriptor (an integer from 0, 1 = stdout, 2 = stderr)`,
  )
}

/** Every option of the transport and createMemoryBuffer, once: see core's option-table.ts. */
export const OPTIONS = Object.freeze({
  /** Records held: in batch mode reaching it releases, in ring mode the oldest goes past it. Default 100. */
  capacity: numberOption({
    doc: 'records held',
    default: 100,
    min: 1,
    max: MAX_CAPACITY,
  }),
  /**
   * A record at or above it releases the buffer: a pino or Python name, a pino number, or a
   * custom level. Default `'error'`.
   */
  flushLevel: levelOption({
    doc: 'release at or above this level (pino or Python names)',
    default: 50,
  }),
  /** Batch mode: also release this often; 0 = never. Default 0. */
  flushIntervalMs: numberOption({
    doc: 'also release this often (0: off; batch mode only)',
    shown: '0',
    default: 0,
    max: MAX_TIMER_MS,
  }),
  /** Bytes held at most: batch mode releases, ring mode evicts past it. Default: no bound. */
  maxBytes: numberOption({
    doc: 'also release (batch) or evict (ring) at this many held bytes',
    min: 1,
  }),
  /** `'batch'` (Python's MemoryHandler) or `'ring'`: keeps the newest until flushLevel. Default `'batch'`. */
  mode: enumOption(MODES, {
    doc: 'ring keeps only the newest records, released on a flushLevel line',
    default: 'batch',
  }),
  /** A path or an fd: a final target. Without: a pipeline stage (or stdout, alone). */
  destination: customOption<string | number, string | number | undefined>({
    doc: 'where released lines go (a path or an fd; the command: default 1, stdout)',
    shown: 'none',
    cli: [{ value: 'PATH|FD', numeric: true }],
    read: readDestination,
  }),
  /** The name in the stats. Default `'memory-buffer'`. */
  statsName: statsNameOption('memory-buffer'),
  /** How long the end waits for the destination. Default 5000. */
  closeTimeoutMs: closeTimeoutOption('how long the end waits for the destination'),
})

/** Every option the transport and createMemoryBuffer accept. */
export const OPTION_NAMES = optionNames(OPTIONS)

export type OptionName = (typeof OPTION_NAMES)[number]

/**
 * The options of `@pino-advanced/memory-buffer` and `createMemoryBuffer`, from the table
 * (checked again at run time: a ConfigError names what is wrong).
 */
export type MemoryBufferOptions = OptionsOf<typeof OPTIONS>

export interface ResolvedMemoryBufferOptions {
  /** Records held; in batch mode reaching it releases, in ring mode the oldest is dropped past it. */
  readonly capacity: number
  /** pino level number at or above which a record releases the buffer, itself included. */
  readonly flushLevel: number
  /** Period of the extra time-based release; 0 = off (always 0 in ring mode). */
  readonly flushIntervalMs: number
  /** Byte bound on what is held (UTF-8 bytes of the lines, newlines included); undefined = none. */
  readonly maxBytes: number | undefined
  readonly mode: BufferMode
  /** A path or an fd: set means final target (sonic-boom); unset means pipeline stage. */
  readonly destination: string | number | undefined
  readonly statsName: string
  readonly closeTimeoutMs: number
}

/** Each option's value when it is not given. */
export const DEFAULTS = Object.freeze(readOptionTable(OPTIONS, '', {}))

/**
 * Validates and normalises the options of the memory buffer (the transport and
 * createMemoryBuffer alike), throwing a ConfigError that names the option. `prefix` is where
 * the options sit in a larger configuration (the preset passes its own key).
 */
export function resolveOptions(
  raw: unknown,
  prefix = '',
  customLevels?: CustomLevels,
): Readonly<ResolvedMemoryBufferOptions> {
  const options = readOptionTable(OPTIONS, prefix, raw, customLevels)
  if (options.mode === 'ring' && options.flushIntervalMs !== 0) {
    // A ring keeps context for the next error; releasing it on a clock would turn it into a
    // slow copy of every record, which is batch mode. Rejected rather than silently ignored.
    const option = optionPath(prefix, 'flushIntervalMs')
    throw ConfigError.invalid(
      option,
      `received ${options.flushIntervalMs}; expected 0 (off) when ${optionPath(prefix, 'mode')} is 'ring', which releases only when a flushLevel record arrives (use mode 'batch' for periodic release)`,
    )
  }
  return Object.freeze(options)
}
