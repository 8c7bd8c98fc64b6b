import { openSync } from 'node:fs'
import { createDiagnostics, levelLabel } from '@pino-advanced/core'
import { createMemoryBuffer } from '@pino-advanced/memory-buffer'
import type { Level } from 'pino'
import { DeferredStream } from './deferred-stream.js'
import { fileSpec, handlerOptions, type MemoryOptions } from './destination-specs.js'
import { CLOSE_DEADLINE_MS, combineOutcomes, type Wiring } from './destination-wiring.js'
import { FILE_CLOSE_DEADLINE_MS, FileDestination } from './file-destination.js'
import type { HandlerKits } from './handlers.js'
import type { ResolvedLoggerOptions } from './options.js'
import { type FileId, isFileId, type PlannedDestination } from './plan.js'

/** The destinations the plan puts on the application's thread, added to `wiring`. */
export function wireMainThread(
  planned: readonly PlannedDestination[],
  options: ResolvedLoggerOptions,
  memory: MemoryOptions,
  kits: HandlerKits,
  wiring: Wiring,
): void {
  for (const destination of planned) {
    if (isFileId(destination.id)) wireFile(destination, destination.id, options, memory, wiring)
    else wireHandler(destination, destination.id, options, memory, kits, wiring)
  }
}

function wireFile(
  destination: PlannedDestination,
  id: FileId,
  options: ResolvedLoggerOptions,
  memory: MemoryOptions,
  { entries, flushers, deliverers, closers, collect }: Wiring,
): void {
  // Opened now, so that the exit path never waits for an open. Synchronous, as pino's own
  // default destination: an asynchronous write still in flight at process.exit() would land
  // out of order or not at all. use_queue moves the I/O off-thread.
  const spec = fileSpec(id, options)
  const fd = id === 'file' ? openSync(spec.destination as string, 'a') : spec.destination
  const diagnostics = createDiagnostics({ source: `pino-advanced/get-logger (${id})` })
  const file = new FileDestination({ ...spec, destination: fd, statsName: id, sync: true }, diagnostics)
  collect(file)
  const buffer = destination.buffered
    ? createMemoryBuffer({ ...memory, statsName: `memory-buffer:${id}` }, file)
    : undefined
  if (buffer) collect(buffer)
  entries.push({ stream: buffer ?? file, level: levelLabel(destination.level, options.pino.customLevels) as Level })
  flushers.push(() => {
    buffer?.flushSync()
    file.flushSync()
  })
  deliverers.push(async (timeoutMs) => {
    const options = timeoutMs === undefined ? {} : { timeoutMs }
    // The buffer releases into the file at once; both then wait side by side (one deadline).
    return combineOutcomes(await Promise.all([...(buffer ? [buffer.flush(options)] : []), file.flush(options)]))
  })
  closers.push(async () => {
    buffer?.end()
    await file.close(FILE_CLOSE_DEADLINE_MS)
  })
}

/** A handler with async: false, on this thread's event loop. */
function wireHandler(
  destination: PlannedDestination,
  id: 'http' | 'smtp',
  options: ResolvedLoggerOptions,
  memory: MemoryOptions,
  kits: HandlerKits,
  { entries, flushers, deliverers, closers, handoffs, collect }: Wiring,
): void {
  const diagnostics = createDiagnostics({ source: `pino-advanced/get-logger (${destination.id})` })
  const kit = kits[id]
  const handlerRaw = handlerOptions(destination, options)
  // Under the name the handler would have counted under (its statsName, or its package's default).
  const name = typeof handlerRaw.statsName === 'string' ? handlerRaw.statsName : `${destination.id}-async`
  const handler = new DeferredStream(kit.create(handlerRaw), diagnostics, name)
  handoffs.push(() => ({ target: kit.target, options: handlerRaw, unsent: handler.takeUnsent() }))
  collect(handler)
  // The buffer's sink only takes lines: the buffer's flush releases into the handler, whose
  // own flush (below) then waits within the flush's timeoutMs (the buffer would flush its
  // sink with the handler's closeTimeoutMs instead).
  const buffer = destination.buffered
    ? createMemoryBuffer(
        { ...memory, statsName: `memory-buffer:${destination.id}` },
        { write: (chunk: string) => handler.write(chunk) },
      )
    : undefined
  if (buffer) {
    collect(buffer)
    flushers.push(() => buffer.flushSync())
  }
  deliverers.push(async (timeoutMs) => {
    const options = timeoutMs === undefined ? {} : { timeoutMs }
    return combineOutcomes(await Promise.all([...(buffer ? [buffer.flush(options)] : []), handler.flush(options)]))
  })
  entries.push({ stream: buffer ?? handler, level: levelLabel(destination.level, options.pino.customLevels) as Level })
  closers.push(async () => {
    buffer?.end()
    await handler.close(CLOSE_DEADLINE_MS)
  })
}
