import { fileURLToPath } from 'node:url'
import type { RawOptions } from '@pino-advanced/core'
import httpAsync, { type HttpAsyncOptions, resolveOptions as resolveHttpOptions } from '@pino-advanced/http-async'
import smtpAsync, { resolveOptions as resolveSmtpOptions, type SmtpAsyncOptions } from '@pino-advanced/smtp-async'
import type { LineStream } from './deferred-stream.js'
import type { HandlerKits } from './handlers.js'

/** The absolute path of a package's entry, for a pino worker target. */
export const packageEntry = (name: string): string => fileURLToPath(import.meta.resolve(name))

/** The real transports behind `http_handler` and `smtp_handler` (their options validated first, by `validate`). */
export const DEFAULT_KITS: HandlerKits = Object.freeze({
  http: {
    target: packageEntry('@pino-advanced/http-async'),
    validate: resolveHttpOptions,
    create: (options: RawOptions) =>
      httpAsync(options as unknown as HttpAsyncOptions) as Promise<unknown> as Promise<LineStream>,
  },
  smtp: {
    target: packageEntry('@pino-advanced/smtp-async'),
    validate: resolveSmtpOptions,
    create: (options: RawOptions) =>
      smtpAsync(options as unknown as SmtpAsyncOptions) as Promise<unknown> as Promise<LineStream>,
  },
})
