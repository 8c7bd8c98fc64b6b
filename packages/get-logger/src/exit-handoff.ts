import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { serialize } from 'node:v8'
import type { Diagnostics, RawOptions, Unsent } from '@pino-advanced/core'

/** One handler's undelivered records, and how the child process delivers them. */
export interface HandoffJob {
  /** Absolute path of the transport package's entry; the child calls its `deliverUnsent`. */
  readonly target: string
  readonly options: RawOptions
  readonly unsent: Unsent
}

// Always the built file (a plain `node` runs it), whether this module runs from dist or src.
const CHILD = fileURLToPath(new URL('../dist/handoff-child.js', import.meta.url))

/** Records (and prepared mails) an Unsent holds; 0 when there is nothing to hand over. */
export function unsentCount(unsent: Unsent): number {
  let n = unsent.lines.length + (unsent.spooled ?? 0)
  for (const value of Object.values(unsent)) {
    if (value !== unsent.lines && Array.isArray(value)) n += value.length
  }
  return n
}

/**
 * After process.exit() or an uncaught exception the event loop is gone, and with it every
 * request a handler on this thread still had to make. What they had not delivered goes to one
 * short-lived child process (node, this package's handoff-child.js), which delivers it with the
 * same transports and options and ends within their close deadlines; this thread waits for it,
 * at most `deadlineMs`. Options travel by structured clone (v8.serialize): Buffers survive.
 */
export function handOff(jobs: readonly HandoffJob[], deadlineMs: number, diagnostics: Diagnostics): void {
  const waiting = jobs.filter((job) => unsentCount(job.unsent) > 0)
  if (waiting.length === 0) return
  const run = spawnSync(process.execPath, [CHILD], {
    input: serialize(waiting),
    stdio: ['pipe', 'inherit', 'inherit'],
    timeout: deadlineMs,
    killSignal: 'SIGKILL',
  })
  if (run.status === 0) return
  const records = waiting.reduce((n, job) => n + unsentCount(job.unsent), 0)
  const why = run.signal === 'SIGKILL' ? `did not finish within ${deadlineMs} ms` : `failed (exit ${run.status})`
  diagnostics.always(`exit: the process delivering ${records} record(s) left by main-thread handlers ${why}`)
}
