import type { Duplex } from 'node:stream'
import { type StatsEmitter, withoutPinoKeys } from '@pino-advanced/core'
import buildModule from 'pino-abstract-transport'
import { type Clock, DeliveryEngine, SYSTEM_CLOCK } from './delivery.js'
import { httpAsyncDiagnostics } from './diagnostics.js'
import { createHttpSender } from './http-sender.js'
import { resolveOptions } from './options.js'

// pino-abstract-transport is CommonJS whose .d.ts predates parseLine; one honest signature here.
interface BuildOptions {
  readonly parse: 'lines'
  readonly parseLine: (line: string) => unknown
  readonly metadata: false
  readonly close: (err: Error | null) => Promise<void>
}
const build = buildModule as unknown as (fn: (source: Duplex) => void, opts: BuildOptions) => Promise<Duplex> | Duplex

// build() JSON.parses every line to fill metadata, even with parse: 'lines'. This transport
// only needs the text: returning a constant skips the parse (and keeps non-JSON lines).
const LINE_SEEN: object = Object.freeze({})
const skipParse = (): object => LINE_SEEN

/** Test seams; not part of the documented options (they are not plain data). */
export interface HttpAsyncDeps {
  readonly clock?: Clock
  readonly random?: () => number
  /** Where diagnostics go (default: stderr). */
  readonly writeDiagnostic?: (line: string) => void
  readonly statsIntervalMs?: number
}

/** The transport stream plus its engine, for tests and embedding. */
export type HttpAsyncStream = Duplex & { readonly engine: DeliveryEngine }

/**
 * Builds the transport: a stream of pino lines whose records are delivered over HTTP. pino
 * calls it in its worker; on the main thread it is an ordinary stream (pino.multistream).
 * Ending or destroying the stream closes it: delivery within closeTimeoutMs, then a report.
 */
export async function createHttpAsync(raw: unknown, deps: HttpAsyncDeps = {}): Promise<HttpAsyncStream> {
  // A single `target` gets pino's own keys mixed into its options.
  const options = resolveOptions(withoutPinoKeys(raw))
  const clock = deps.clock ?? SYSTEM_CLOCK
  const sender = createHttpSender(options, clock.now)
  const GET = options.method === 'GET'
  // The stats go out on the stream build() returns (in a worker, core posts them instead).
  const stats: StatsEmitter = { emit: (event, ...args) => stream.emit(event, ...args) }
  const engine = new DeliveryEngine(
    {
      ...options,
      // GET is Python's one request per record, sent as soon as it can be.
      maxBatchRecords: GET ? 1 : options.maxBatchRecords,
      flushIntervalMs: GET ? 0 : options.flushIntervalMs,
    },
    {
      send: sender.send,
      stats,
      diagnostics: httpAsyncDiagnostics(options, deps.writeDiagnostic),
      target: sender.target,
      clock,
      ...(deps.random === undefined ? {} : { random: deps.random }),
      ...(deps.statsIntervalMs === undefined ? {} : { statsIntervalMs: deps.statsIntervalMs }),
    },
  )
  const stream = (await build(
    (source) => {
      source.on('data', (line: string) => {
        if (line.length > 0) engine.push(line)
      })
    },
    {
      parse: 'lines',
      parseLine: skipParse,
      metadata: false,
      async close() {
        await engine.close()
        await sender.close()
      },
    },
  )) as HttpAsyncStream
  Object.defineProperty(stream, 'engine', { value: engine })
  return stream
}

/**
 * The transport pino loads:
 * `pino.transport({ target: '@pino-advanced/http-async', options: { url: 'https://...' } })`.
 */
export default function httpAsyncTransport(raw: unknown = {}): Promise<HttpAsyncStream> {
  return createHttpAsync(raw)
}
