import { isMainThread, parentPort } from 'node:worker_threads'

/**
 * A transport's factory as pino's worker calls it. An error it throws would reach the
 * application's 'error' listener through thread-stream as a structured clone, which keeps an
 * Error's message and stack but not its `name`, `code` or `option`: a ConfigError would arrive
 * as a bare `Error`. So, in a worker, the error is first posted in thread-stream's own ERROR
 * message as plain data (name, code, option, the target named in the message and as `target`),
 * which is what the application then receives (thread-stream takes the first error only).
 */
export async function startTransport<T>(target: string, build: () => T | Promise<T>): Promise<T> {
  try {
    return await build()
  } catch (err) {
    postStartError(target, err)
    throw err
  }
}

function postStartError(target: string, err: unknown): void {
  if (isMainThread) return
  /* c8 ignore start */
  // Runs only inside a worker, where tap's coverage cannot see; test/start-error.test.ts checks it there.
  const { name, code, option, message, stack } = err as Error & { code?: unknown; option?: unknown }
  parentPort?.postMessage({
    code: 'ERROR',
    err: { name, code, option, target, message: `${target}: ${message}`, stack },
  })
  /* c8 ignore stop */
}
