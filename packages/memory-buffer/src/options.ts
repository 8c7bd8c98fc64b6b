import {
  ConfigError,
  type CustomLevels,
  DEFAULT_CLOSE_TIMEOUT_MS,
  describeValue,
  ErrorCodes,
  MAX_CLOSE_MS,
  MAX_TIMER_MS,
  optionPath,
  readEnum,
  readLevel,
  readNumber,
  readObject,
  readString,
  rejectUnknownKeys,
} from '@pino-advanced/core'

/** Every option the transport and createMemoryBuffer accept. */
export const OPTION_NAMES = [
  'capacity',
  'flushLevel',
  'flushIntervalMs',
  'maxBytes',
  'mode',
  'destination',
  'statsName',
  'closeTimeoutMs',
] as const

export type OptionName = (typeof OPTION_NAMES)[number]

export const MODES = ['batch', 'ring'] as const
export type BufferMode = (typeof MODES)[number]

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

export const DEFAULTS = Object.freeze({
  capacity: 100,
  flushLevel: 50,
  flushIntervalMs: 0,
  mode: 'batch',
  statsName: 'memory-buffer',
  closeTimeoutMs: DEFAULT_CLOSE_TIMEOUT_MS,
} as const)

function readDestination(prefix: string, options: Readonly<Record<string, unknown>>): string | number | undefined {
  const value = options.destination
  if (value === undefined || (typeof value === 'string' && value !== '')) return value
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  const option = optionPath(prefix, 'destination')
  throw new ConfigError(
    ErrorCodes.INVALID_OPTION,
    option,
    `${option}: received ${describeValue(value)}; expected a file path (a non-empty string) or a file descriptor (an integer from 0, 1 = stdout, 2 = stderr)`,
  )
}

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
  const options = readObject(prefix === '' ? 'options' : prefix, raw)
  rejectUnknownKeys(prefix, options, OPTION_NAMES)
  const mode = readEnum(prefix, options, 'mode', MODES, DEFAULTS.mode)
  const flushIntervalMs = readNumber(prefix, options, 'flushIntervalMs', DEFAULTS.flushIntervalMs, {
    max: MAX_TIMER_MS,
  })
  if (mode === 'ring' && flushIntervalMs !== 0) {
    // A ring keeps context for the next error; releasing it on a clock would turn it into a
    // slow copy of every record, which is batch mode. Rejected rather than silently ignored.
    const option = optionPath(prefix, 'flushIntervalMs')
    throw new ConfigError(
      ErrorCodes.INVALID_OPTION,
      option,
      `${option}: received ${flushIntervalMs}; expected 0 (off) when ${optionPath(prefix, 'mode')} is 'ring', which releases only when a flushLevel record arrives (use mode 'batch' for periodic release)`,
    )
  }
  return Object.freeze({
    capacity: readNumber(prefix, options, 'capacity', DEFAULTS.capacity, { min: 1, max: 10_000_000 }),
    flushLevel: readLevel(prefix, options, 'flushLevel', DEFAULTS.flushLevel, customLevels),
    flushIntervalMs,
    maxBytes: readNumber(prefix, options, 'maxBytes', undefined, { min: 1 }),
    mode,
    destination: readDestination(prefix, options),
    statsName: readString(prefix, options, 'statsName', DEFAULTS.statsName),
    closeTimeoutMs: readNumber(prefix, options, 'closeTimeoutMs', DEFAULTS.closeTimeoutMs, {
      min: 1,
      max: MAX_CLOSE_MS,
    }),
  })
}
