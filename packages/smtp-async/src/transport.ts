import type { Duplex } from 'node:stream'
import { type StatsEmitter, withoutPinoKeys } from '@pino-advanced/core'
import buildModule from 'pino-abstract-transport'
import { AlertEngine } from './alerts.js'
import { smtpDiagnostics } from './diagnostics.js'
import { type Scheduler, SYSTEM_SCHEDULER } from './digest.js'
import { createMailer, type Mailer } from './mailer.js'
import { resolveOptions } from './options.js'

// pino-abstract-transport is CommonJS whose .d.ts predates parseLine; one honest signature here.
interface BuildOptions {
  readonly parse: 'lines'
  readonly parseLine: (line: string) => unknown
  readonly metadata: false
  readonly close: (err: Error | null) => Promise<void>
}
const build = buildModule as unknown as (fn: (source: Duplex) => void, opts: BuildOptions) => Duplex

// build() JSON.parses every line for its metadata even with parse: 'lines'; the level check
// needs only the text (records below `level` are never parsed at all).
const LINE_SEEN: object = Object.freeze({})
const skipParse = (): object => LINE_SEEN

/** Test seams; not part of the documented options (they are not plain data). */
export interface SmtpAsyncDeps {
  readonly scheduler?: Scheduler
  readonly random?: () => number
  readonly mailer?: Mailer
  readonly writeDiagnostic?: (line: string) => void
  readonly statsIntervalMs?: number
}

export type SmtpAsyncStream = Duplex & { readonly engine: AlertEngine }

/**
 * Builds the transport: a stream of pino lines; records at or above `level` are mailed, storms
 * folded into digests. pino calls it in its worker; on the main thread it is an ordinary
 * stream. Ending the stream closes it: the pending digest is sent within closeTimeoutMs.
 */
export async function createSmtpAsync(raw: unknown, deps: SmtpAsyncDeps = {}): Promise<SmtpAsyncStream> {
  // A single `target` gets pino's own keys mixed into its options.
  const options = resolveOptions(withoutPinoKeys(raw))
  // The stats go out on the stream build() returns (in a worker, core posts them instead).
  const stats: StatsEmitter = { emit: (event, ...args) => stream.emit(event, ...args) }
  const engine = new AlertEngine(options, {
    mailer: deps.mailer ?? createMailer(options),
    scheduler: deps.scheduler ?? SYSTEM_SCHEDULER,
    diagnostics: smtpDiagnostics(options, deps.writeDiagnostic),
    stats,
    ...(deps.random === undefined ? {} : { random: deps.random }),
    ...(deps.statsIntervalMs === undefined ? {} : { statsIntervalMs: deps.statsIntervalMs }),
  })
  const stream = build(
    (source) => {
      source.on('data', (line: string) => engine.push(line))
    },
    { parse: 'lines', parseLine: skipParse, metadata: false, close: () => engine.close() },
  ) as SmtpAsyncStream
  Object.defineProperty(stream, 'engine', { value: engine })
  return stream
}

/**
 * The transport pino loads:
 * `pino.transport({ target: '@pino-advanced/smtp-async', options: { mailhost, fromaddr, toaddrs } })`.
 */
export default function smtpAsyncTransport(raw: unknown = {}): Promise<SmtpAsyncStream> {
  return createSmtpAsync(raw)
}
