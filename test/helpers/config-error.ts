/**
 * One assertion per expected ConfigError:
 *
 *   expectConfigError(t, () => resolveOptions({ capacity: 0 }), 'capacity', { message: /from 1 to/ })
 *
 * It threw, a ConfigError (by name, and `instanceof type` when given), with `code` (if given), naming
 * `option`, its message starting with `option: ` and matching `message`: all checked together,
 * so that a rejected value counts once. Returns the error (undefined when nothing was thrown).
 */
import type { Test } from 'tap'

export interface ExpectedConfigError {
  /** The stable code (PA_INVALID_OPTION, say); not compared when not given. */
  readonly code?: string
  /** What the message says after the option's name. */
  readonly message?: RegExp | string
  /** The class it must be an instance of (a package's own import of ConfigError). */
  readonly type?: abstract new (
    ...args: never[]
  ) => Error
  /** What the message must never contain (a password, say). */
  readonly secret?: string
}

interface ConfigErrorLike extends Error {
  readonly code?: string
  readonly option?: string
}

/** What `fn` threw; undefined when it returned. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

/** The facts of a ConfigError that `expectConfigError` compares, as they are and as expected. */
export function configErrorFacts(
  err: unknown,
  option: string,
  expected: ExpectedConfigError = {},
): { readonly actual: unknown; readonly wanted: unknown } {
  const { code, message, type, secret } = expected
  const wanted = { name: 'ConfigError', code, option, prefixed: true, says: true, instance: true, secretHidden: true }
  if (!(err instanceof Error)) return { actual: err === undefined ? 'nothing thrown' : err, wanted }
  const e = err as ConfigErrorLike
  const says =
    message === undefined || (typeof message === 'string' ? e.message.includes(message) : message.test(e.message))
  const actual = {
    name: e.name,
    code: code === undefined ? undefined : e.code,
    option: e.option,
    prefixed: e.message.startsWith(`${option}: `),
    says,
    instance: type === undefined || err instanceof type,
    secretHidden: secret === undefined || !e.message.includes(secret),
  }
  return { actual, wanted }
}

export function expectConfigError(
  t: Test,
  fn: () => unknown,
  option: string,
  expected: ExpectedConfigError = {},
): ConfigErrorLike {
  const err = thrown(fn)
  const { actual, wanted } = configErrorFacts(err, option, expected)
  t.same(actual, wanted, `${option}: ${err instanceof Error ? err.message : 'nothing thrown'}`)
  return err as ConfigErrorLike
}
