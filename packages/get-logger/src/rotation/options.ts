import { resolve } from 'node:path'
import {
  ConfigError,
  optionPath,
  type RawOptions,
  readBoolean,
  readNumber,
  readObject,
  rejectUnknownKeys,
  requireString,
} from '@pino-advanced/core'
import type { RotationPolicy } from './rotating-file.js'
import { WHEN_VALUES, type When } from './timed-schedule.js'

/** A rotating file destination: where, and how it rotates. */
export interface ResolvedRotatingFile {
  /** Absolute. */
  readonly filename: string
  readonly policy: RotationPolicy
}

const SIZE_KEYS = ['filename', 'max_bytes', 'backup_count'] as const
const TIME_KEYS = ['filename', 'when', 'interval', 'backup_count', 'utc'] as const
// Python's counts have no bound; this one keeps a typo (1e9) from listing a directory forever.
const MAX_BACKUPS = 100_000

/** `rotating_file: { filename, max_bytes, backup_count }`: Python's RotatingFileHandler. */
export function readRotatingFile(option: string, value: unknown): ResolvedRotatingFile | undefined {
  if (value === undefined) return undefined
  const raw = readObject(option, value)
  rejectUnknownKeys(option, raw, SIZE_KEYS)
  return Object.freeze({
    filename: resolve(requireString(option, raw, 'filename', 'a file path')),
    policy: Object.freeze({
      kind: 'size' as const,
      maxBytes: readNumber(option, raw, 'max_bytes', 0, { max: Number.MAX_SAFE_INTEGER }),
      backupCount: readNumber(option, raw, 'backup_count', 0, { max: MAX_BACKUPS }),
    }),
  })
}

/** `timed_rotating_file: { filename, when, interval, backup_count, utc }`: Python's TimedRotatingFileHandler. */
export function readTimedRotatingFile(option: string, value: unknown): ResolvedRotatingFile | undefined {
  if (value === undefined) return undefined
  const raw = readObject(option, value)
  rejectUnknownKeys(option, raw, TIME_KEYS)
  return Object.freeze({
    filename: resolve(requireString(option, raw, 'filename', 'a file path')),
    policy: Object.freeze({
      kind: 'time' as const,
      schedule: Object.freeze({
        when: readWhen(optionPath(option, 'when'), raw.when),
        interval: readNumber(option, raw, 'interval', 1, { min: 1, max: 1_000_000 }),
        utc: readBoolean(option, raw, 'utc', false),
      }),
      backupCount: readNumber(option, raw, 'backup_count', 0, { max: MAX_BACKUPS }),
    }),
  })
}

/** Python's `when`, any case as Python takes it ('h', 'MIDNIGHT', 'w0'); its default 'H'. */
function readWhen(option: string, value: unknown): When {
  if (value === undefined) return 'H'
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined
  const when = upper === 'MIDNIGHT' ? 'midnight' : upper
  if (when !== undefined && (WHEN_VALUES as readonly string[]).includes(when)) return when as When
  throw ConfigError.received(
    option,
    value,
    `one of ${WHEN_VALUES.map((w) => `'${w}'`).join(', ')} (any case, as Python takes it)`,
  )
}

export type { RawOptions }
