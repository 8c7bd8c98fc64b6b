import type { LogFn, Logger } from 'pino'

/** The Python names the documented examples call: `logger.critical` and `logger.warning`. */
export interface PythonAliases {
  /** Python's CRITICAL: pino's fatal (60). */
  readonly critical: LogFn
  /** Python's WARNING: pino's warn (40). */
  readonly warning: LogFn
}

/**
 * Adds the aliases as getters, so they follow level changes (pino swaps its level methods
 * for no-ops when the level rises) and children, whose prototype is their parent, inherit them.
 */
export function addPythonAliases<T extends Logger>(logger: T): T & PythonAliases {
  Object.defineProperties(logger, {
    critical: {
      get(this: Logger) {
        return this.fatal
      },
    },
    warning: {
      get(this: Logger) {
        return this.warn
      },
    },
  })
  return logger as T & PythonAliases
}
