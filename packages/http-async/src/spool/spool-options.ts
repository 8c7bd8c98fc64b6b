import { resolve } from 'node:path'
import {
  optionPath,
  type RawOptions,
  readNumber,
  readObject,
  rejectUnknownKeys,
  requireString,
} from '@pino-advanced/core'

// The durable spool's options (`spool: { dir, maxBytes }`), nested in the transport's.

const MiB = 1024 * 1024

export const SPOOL_OPTION_NAMES = ['dir', 'maxBytes'] as const

// spool.maxBytes: a nested option's default, so not one of the table's.
export const DEFAULT_SPOOL_MAX_BYTES = 1024 * MiB

// A spool smaller than this could not hold a few segments of ordinary records.
const MIN_SPOOL_BYTES = 64 * 1024

export interface ResolvedSpoolOptions {
  /** Absolute. */
  readonly dir: string
  readonly maxBytes: number
  /** Where segment files rotate: an eighth of maxBytes, at most 1 MiB. */
  readonly segmentBytes: number
}

export function readSpool(prefix: string, options: RawOptions): ResolvedSpoolOptions | undefined {
  if (options.spool === undefined) return undefined
  const option = optionPath(prefix, 'spool')
  const spool = readObject(option, options.spool)
  rejectUnknownKeys(option, spool, SPOOL_OPTION_NAMES)
  const dir = resolve(requireString(option, spool, 'dir', 'a directory path (created if missing)'))
  const maxBytes = readNumber(option, spool, 'maxBytes', DEFAULT_SPOOL_MAX_BYTES, { min: MIN_SPOOL_BYTES })
  return Object.freeze({ dir, maxBytes, segmentBytes: Math.min(MiB, Math.floor(maxBytes / 8)) })
}
