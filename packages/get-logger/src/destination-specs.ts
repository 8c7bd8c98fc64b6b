import type { LineFormat } from './format/line-format.js'
import type { ResolvedHandler, ResolvedLoggerOptions } from './options.js'
import type { FileId, PlannedDestination } from './plan.js'
import type { ResolvedRotatingFile } from './rotation/options.js'
import type { RotationPolicy } from './rotation/rotating-file.js'

/** What a memory buffer in front of a destination is given, on either thread. */
export type MemoryOptions = { readonly capacity: number; readonly flushLevel: number }

/** Where a file destination writes: the console's fd (stdout 1, stderr 2), or a path and its rotation. */
export function fileSpec(
  id: FileId,
  options: ResolvedLoggerOptions,
): { readonly destination: number | string; readonly rotation?: RotationPolicy; readonly format?: LineFormat } {
  const fmt: LineFormat | undefined =
    options.fmt === undefined ? undefined : { kind: 'fmt', fmt: options.fmt, known: Object.keys(options.context) }
  const format = id === 'console' && options.formatter === 'color' ? { kind: 'color' as const } : fmt
  const text = format === undefined ? {} : { format }
  if (id === 'console') return { destination: options.console === 'stderr' ? 2 : 1, ...text }
  if (id === 'file') return { destination: options.file as string, ...text }
  const rotating = (id === 'rotating_file' ? options.rotatingFile : options.timedRotatingFile) as ResolvedRotatingFile
  return { destination: rotating.filename, rotation: rotating.policy, ...text }
}

export function handlerOptions(destination: PlannedDestination, options: ResolvedLoggerOptions) {
  // The plan has an http or smtp destination only when that handler is configured.
  return ((destination.id === 'http' ? options.httpHandler : options.smtpHandler) as ResolvedHandler).options
}
