import {
  createDiagnostics,
  DeliveryCounters,
  type DeliveryStats,
  type Diagnostics,
  DROP_REASONS,
} from '@pino-advanced/core'
import type { LogFn, LoggerOptions } from 'pino'
import type { RecordFilter } from './options.js'

/** Drop reason of the records `filter_func` refused (once per record, for every destination). */
export const FILTERED = DROP_REASONS.filtered.name

type LogMethodHook = NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']>

/**
 * Python's `filter_func` on the main thread, before pino serialises anything: a pino
 * `hooks.logMethod` that builds what the filter sees, `{ level, msg, ...fields }` (the merging
 * object's fields, an Error under `err`, the child's bindings left out: they cost a parse per
 * call), and lets the call through only when the filter says true. A filter that throws lets
 * the record through (a bug in a filter must not lose logs) and is reported on stderr.
 */
export class FilterStage {
  readonly #counters = new DeliveryCounters(FILTERED)
  readonly #diagnostics: Diagnostics

  constructor(
    readonly filter: RecordFilter,
    diagnostics: Diagnostics = createDiagnostics({ source: 'pino-advanced/get-logger (filter_func)' }),
  ) {
    this.#diagnostics = diagnostics
  }

  /** The hook, composed with the application's own logMethod hook (which runs after the filter). */
  hook(own: LogMethodHook | undefined): LogMethodHook {
    const stage = this
    return function logMethod(this: unknown, args: Parameters<LogFn>, method: LogFn, level: number) {
      if (!stage.#passes(args, level)) return
      if (own) own.call(this as never, args, method, level)
      else (method as (...a: unknown[]) => void).apply(this, args)
    }
  }

  /** What filter_func refused: received = passed + filtered, nothing buffered. */
  stats(): DeliveryStats {
    return this.#counters.snapshot()
  }

  #passes(args: readonly unknown[], level: number): boolean {
    const counters = this.#counters
    counters.received++
    let pass = true
    try {
      pass = this.filter(recordOf(args, level)) !== false
    } catch (err) {
      this.#diagnostics.report('throws', `filter_func threw (${(err as Error)?.message}); the record was kept`)
    }
    if (pass) counters.delivered++
    else counters.drop(FILTERED)
    return pass
  }
}

function recordOf(args: readonly unknown[], level: number): Record<string, unknown> {
  const [first, second] = args
  if (typeof first === 'string') return { level, msg: first }
  const fields = first instanceof Error ? { err: first } : (first as Record<string, unknown> | null | undefined)
  return { ...fields, level, msg: typeof second === 'string' ? second : undefined }
}
