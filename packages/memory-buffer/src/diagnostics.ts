import { createDiagnostics, type Diagnostics } from '@pino-advanced/core'

export const SOURCE = 'pino-advanced/memory-buffer'

/** This package's stderr reporter (one per instance: no state shared between instances). */
export function memoryBufferDiagnostics(): Diagnostics {
  return createDiagnostics({ source: SOURCE })
}
