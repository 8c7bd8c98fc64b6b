import { isMainThread, parentPort } from 'node:worker_threads'

/**
 * The message that tells the transports in a pino worker that the application is closing,
 * sent before `end()`. thread-stream's own protocol says "end" only once its buffer has been
 * read to the last byte, and a transport holding its input back (backpressure towards a slow
 * endpoint) would have that take as long as the endpoint needs; told first, the transports
 * take everything in at once and start their close deadline there.
 */
export const CLOSE_SIGNAL = Object.freeze({ code: 'PINO_ADVANCED_CLOSING' })

/** A pino transport stream (thread-stream forwards its 'message' events to the worker). */
export interface SignalTarget {
  emit(event: 'message', message: unknown): boolean
}

/** Tells the worker behind `transport` that closing has begun (call it before `end()`). */
export function signalClose(transport: SignalTarget): void {
  transport.emit('message', CLOSE_SIGNAL)
}

/**
 * In a pino worker, calls `onClose` when the main thread signals closing; returns the
 * unsubscribe. On the main thread there is no one to signal: a no-op.
 */
export function onCloseSignal(onClose: () => void): () => void {
  if (isMainThread || parentPort === null) return () => {}
  // Runs only inside a worker, where tap's coverage cannot see; http-async's worker test checks it there.
  /* c8 ignore start */
  const port = parentPort
  const listener = (message: unknown) => {
    if ((message as { code?: unknown } | null)?.code === CLOSE_SIGNAL.code) onClose()
  }
  port.on('message', listener)
  return () => port.off('message', listener)
  /* c8 ignore stop */
}
