import { Writable } from 'node:stream'
import {
  ConfigError,
  createDiagnostics,
  once,
  publishFlushed,
  readFlushMarker,
  withoutPinoKeys,
} from '@pino-advanced/core'
import { FILE_CLOSE_DEADLINE_MS, FileDestination } from './file-destination.js'
import type { LineFormat } from './format/line-format.js'
import type { RotationPolicy } from './rotation/rotating-file.js'

export interface FileTargetOptions {
  readonly destination: number | string
  readonly statsName: string
  /** The file's rotation and text format (getLogger resolved them: plain data through the worker's options). */
  readonly rotation?: RotationPolicy
  readonly format?: LineFormat
}

/** The options getLogger passes (this target is getLogger's own, not a documented package). */
export function readFileTargetOptions(raw: unknown): FileTargetOptions {
  const { destination, statsName, rotation, format } = (withoutPinoKeys(raw) ?? {}) as Record<string, unknown>
  if (!(destination === 1 || destination === 2 || (typeof destination === 'string' && destination !== ''))) {
    throw ConfigError.received('destination', destination, `1 (stdout), 2 (stderr) or a file path`)
  }
  return {
    destination,
    statsName: typeof statsName === 'string' ? statsName : 'file',
    ...(rotation === undefined ? {} : { rotation: rotation as RotationPolicy }),
    ...(format === undefined ? {} : { format: format as LineFormat }),
  }
}

/**
 * Console or file in getLogger's worker (use_queue, or behind a memory buffer stage): pino's
 * `pino/file` with counts, so that getStats() covers every destination.
 */
export class FileTarget extends Writable {
  readonly #destination: FileDestination
  readonly #close: () => Promise<void>

  constructor(options: FileTargetOptions) {
    super({ decodeStrings: true })
    const diagnostics = createDiagnostics({ source: `pino-advanced/get-logger (${options.statsName})` })
    // In a worker, core posts the stats to the main thread; on the main thread this emits them.
    this.#destination = new FileDestination({ ...options, sync: false }, diagnostics, this)
    this.#close = once(() => this.#destination.close(FILE_CLOSE_DEADLINE_MS))
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    // A flush marker comes as a write of its own (pino's multistream writes a line at a time;
    // a memory buffer stage passes the marker on alone).
    const flush = readFlushMarker(chunk, 0, chunk.length)
    if (flush === undefined) this.#destination.write(chunk)
    else {
      void this.#destination
        .flush({ timeoutMs: flush.timeoutMs ?? FILE_CLOSE_DEADLINE_MS })
        .then((outcome) => publishFlushed(this, { id: flush.id, ...outcome }))
    }
    cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#close().then(() => cb())
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#close().then(() => cb(err))
  }
}

/** The target pino loads in getLogger's worker. */
export default async function fileTarget(raw: unknown): Promise<FileTarget> {
  return new FileTarget(readFileTargetOptions(raw))
}
