import { DEFAULT_CLOSE_TIMEOUT_MS, MAX_CLOSE_MS, MAX_TIMER_MS } from './limits.js'
import { customOption, numberOption, stringOption } from './option-table.js'
import { readCredentials } from './options.js'
import { readTlsOptions, type TlsInput, type TlsOptions } from './tls-options.js'

/**
 * The option entries more than one package's table has, each written once: the same name
 * means the same type, bounds and default everywhere (smtp-async once accepted a
 * retryMaxDelayMs below retryBaseDelayMs that http-async refused).
 */

/** `closeTimeoutMs`: how long the close delivers, within pino's exit budget. */
export function closeTimeoutOption(doc: string) {
  return numberOption({ doc, default: DEFAULT_CLOSE_TIMEOUT_MS, min: 1, max: MAX_CLOSE_MS })
}

/** `statsName`: the destination's name in the stats. */
export function statsNameOption(name: string) {
  return stringOption({ doc: 'name in the stats', default: name, cli: [{ value: 'NAME' }] })
}

/** `retryBaseDelayMs` and `retryMaxDelayMs`: full-jitter backoff; the longest wait is at least the first. */
export function retryDelayOptions(baseDefaultMs: number, docs: { readonly base: string; readonly max: string }) {
  return {
    retryBaseDelayMs: numberOption({ doc: docs.base, default: baseDefaultMs, min: 1, max: MAX_TIMER_MS }),
    retryMaxDelayMs: numberOption({
      doc: docs.max,
      default: 30_000,
      min: 1,
      max: MAX_TIMER_MS,
      atLeast: { option: 'retryBaseDelayMs' },
    }),
  } as const
}

/** `credentials`: `[user, password]`; on the command line `--credentials USER:PASS`. */
export function credentialsOption(doc: string) {
  return customOption<
    readonly [user: string, password: string],
    { readonly user: string; readonly password: string } | undefined
  >({
    doc,
    shown: 'none',
    cli: [{ value: 'USER:PASS' }],
    read: readCredentials,
  })
}

/**
 * `tls` and `ca` (short for `tls.ca`): read together, as `tls` (ca folded in); `ca` reads as
 * undefined. On the command line `--ca FILE`.
 */
export function tlsOptions() {
  return {
    tls: customOption<TlsInput, TlsOptions | undefined>({
      doc: 'TLS connect options, plain data',
      shown: 'none',
      read: (prefix, options) => readTlsOptions(prefix, options),
    }),
    ca: customOption<string | readonly string[], undefined>({
      doc: 'trust this PEM CA file',
      shown: 'none',
      cli: [{ value: 'FILE' }],
      read: () => undefined,
    }),
  } as const
}
