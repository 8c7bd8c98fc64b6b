import { levelName, parseLevel } from '@pino-advanced/core'
import type { LogFn, Logger } from 'pino'

/** The Python names the documented examples call, and the rest of Python's Logger API. */
export interface PythonAliases {
  /** Python's CRITICAL: pino's fatal (60). */
  readonly critical: LogFn
  /** Python's WARNING: pino's warn (40). */
  readonly warning: LogFn
  /**
   * Python's `logger.exception(msg)`: at error, with the error's type, message and stack under
   * `err` (pino's serializer). `exception(err)` takes the error's message as the message;
   * `exception('text')`, with no error at hand, logs the text at error.
   */
  exception(err: unknown, msg?: string, ...args: unknown[]): void
  /**
   * Python's `logger.log(level, msg, *args)`: `level` a pino or Python level name, or a pino
   * level number (a number between levels logs at the level below it, as Python takes any int).
   */
  log(level: string | number, ...args: Parameters<LogFn>): void
  /** Python's `logger.setLevel(level)`, the level as `log` takes it; this logger only. */
  setLevel(level: string | number): void
  /** Python's `logger.isEnabledFor(level)`: whether a record at `level` would be logged. */
  isEnabledFor(level: string | number): boolean
}

/** A level argument as pino's number: the logger's custom levels included. */
function levelNumber(logger: Logger, option: string, level: string | number): number {
  const custom = logger.levels.values
  return typeof level === 'number' ? level : parseLevel(option, level, custom)
}

/** The method name for a level number: the logger's own label, else the standard one below it. */
function methodName(logger: Logger, level: number): string {
  return logger.levels.labels[level] ?? levelName(level)
}

/**
 * The aliases are getters, so they follow level changes (pino swaps its level methods for
 * no-ops when the level rises); the methods read the logger they are called on. Children,
 * whose prototype is their parent, inherit both.
 */
export function addPythonAliases<T extends Pick<Logger, 'levels' | 'levelVal'>>(logger: T): T & PythonAliases {
  const api: Omit<PythonAliases, 'critical' | 'warning'> = {
    exception(this: Logger, err: unknown, msg?: string, ...args: unknown[]): void {
      const error = this.error as (...values: unknown[]) => void
      if (typeof err === 'string') error.call(this, err, msg, ...args)
      else error.call(this, { err }, msg ?? (err instanceof Error ? err.message : undefined), ...args)
    },
    log(this: Logger, level: string | number, ...args: Parameters<LogFn>): void {
      const name = methodName(this, levelNumber(this, 'log(level)', level))
      ;(this[name as 'info'] as LogFn).apply(this, args)
    },
    setLevel(this: Logger, level: string | number): void {
      this.level = methodName(this, levelNumber(this, 'setLevel(level)', level))
    },
    isEnabledFor(this: Logger, level: string | number): boolean {
      return levelNumber(this, 'isEnabledFor(level)', level) >= this.levelVal
    },
  }
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
    ...Object.fromEntries(Object.entries(api).map(([name, value]) => [name, { value, writable: true }])),
  })
  return logger as T & PythonAliases
}
