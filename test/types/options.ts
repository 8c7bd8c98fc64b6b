// Compile-time checks (run by `pnpm typecheck`, not by tap): a wrong option type or a typo in an
// option name is a compile error, and getLogger's logger is a pino Logger. Each
// `@ts-expect-error` fails the type check if the line below it compiles.
import { getLogger } from '@pino-advanced/get-logger'
import httpAsync, { type HttpAsyncOptions } from '@pino-advanced/http-async'
import { createMemoryBuffer, type MemoryBufferOptions } from '@pino-advanced/memory-buffer'
import type { SmtpAsyncOptions } from '@pino-advanced/smtp-async'
import type { Logger } from 'pino'

export function typeChecks(): void {
  // @ts-expect-error url must be a string
  getLogger({ http_handler: { url: 42 } })
  // @ts-expect-error a typo in an http_handler option
  getLogger({ http_handler: { url: 'https://logs.example.com', maxBatchRecordz: 1 } })
  // @ts-expect-error smtp_handler needs fromaddr and toaddrs
  getLogger({ smtp_handler: { mailhost: 'smtp.example.com' } })
  getLogger({
    http_handler: { url: 'https://logs.example.com', maxBatchRecords: 500, async: false, level: 'warn' },
    smtp_handler: {
      mailhost: ['smtp.example.com', 587],
      fromaddr: 'a@example.com',
      toaddrs: ['b@example.com'],
      level: 'ERROR',
    },
  })

  // getLogger's logger where a pino Logger is wanted (pino-http's `logger`, say).
  const logger: Logger = getLogger({ name: 'typed' })
  logger.info('a pino logger')

  const http: HttpAsyncOptions = { url: 'https://logs.example.com', overflow: 'drop-newest' }
  // @ts-expect-error overflow is 'drop-oldest' or 'drop-newest'
  const badOverflow: HttpAsyncOptions = { url: 'https://logs.example.com', overflow: 'drop-all' }
  void httpAsync(http)
  const smtp: SmtpAsyncOptions = {
    mailhost: 'smtp.example.com:587',
    fromaddr: 'a@example.com',
    toaddrs: 'b@example.com',
  }
  // @ts-expect-error a typo in a memory-buffer option
  const badBuffer: MemoryBufferOptions = { capacityy: 10 }
  createMemoryBuffer({ capacity: 10, flushLevel: 'error' }, { write: () => true })
  void [badOverflow, smtp, badBuffer]
}
