import { type Duplex, Readable } from 'node:stream'
import { type Diagnostics, type StatsEmitter, settleWithin, withoutPinoKeys } from '@pino-advanced/core'
import buildModule from 'pino-abstract-transport'
import sonicBoomModule, { type SonicBoomOpts, type SonicBoom as SonicBoomType } from 'sonic-boom'
import { BufferPump } from './buffer-pump.js'
import { memoryBufferDiagnostics } from './diagnostics.js'
import { skipParse } from './line-passthrough.js'
import { type ResolvedMemoryBufferOptions, resolveOptions } from './options.js'

type Source = Readable

// Both packages are CommonJS whose .d.ts describe an ES default export: at run time the
// default import is the function itself. Their build() types also predate enablePipelining
// returning a plain Readable. One honest signature each, here.
const SonicBoom = sonicBoomModule as unknown as new (opts: SonicBoomOpts) => SonicBoomType
interface BuildOptions {
  readonly parse: 'lines'
  readonly parseLine: (line: string) => unknown
  readonly metadata: false
  readonly enablePipelining?: boolean
  readonly close: (err: Error | null, cb: (err?: Error | null) => void) => unknown
}
const build = buildModule as unknown as (
  fn: (source: Source) => Readable | undefined,
  opts: BuildOptions,
) => Promise<Duplex> | Duplex

/** Drop reason of what a destroyed pipeline stage still held. */
export const DESTROYED = 'destroyed'

/**
 * A pipeline stage: released lines come out of the returned Duplex, byte for byte, for the
 * next stage. Backpressure from the next stage pauses the reading of new lines.
 */
async function pipelineStage(options: ResolvedMemoryBufferOptions, diagnostics: Diagnostics) {
  // The stats go out on the stream build() returns (in a worker, core posts them instead).
  const stats: StatsEmitter = { emit: (event, ...args) => stream.emit(event, ...args) }
  // build() calls the function below at once, before any close can happen.
  let pump: BufferPump
  let ended = false
  const stream = await build(
    (source: Source) => {
      const readable = new Readable({ read: () => void source.resume() })
      pump = new BufferPump(
        options,
        (chunk) => {
          if (!readable.push(chunk)) source.pause()
        },
        stats,
        diagnostics,
      )
      source.on('data', (line: string) => pump.line(`${line}\n`))
      source.on('end', () => {
        ended = true
        pump.close()
        readable.push(null)
      })
      return readable
    },
    {
      parse: 'lines',
      parseLine: skipParse,
      metadata: false,
      enablePipelining: true,
      close(err: Error | null, cb: (err?: Error | null) => void) {
        // Destroyed before its end (an error in the pipeline): the readable side goes with
        // it, so what is held can no longer be passed on; say so instead of counting it delivered.
        if (!ended) pump.abandon(DESTROYED)
        cb(err)
      },
    },
  )
  return stream
}

/** A final target: released lines are written to `destination` with sonic-boom. */
async function finalTarget(options: ResolvedMemoryBufferOptions, diagnostics: Diagnostics) {
  const dest = new SonicBoom({ dest: options.destination as string | number, sync: false, mkdir: true })
  let failure: Error | undefined
  dest.on('error', (err: Error) => {
    failure = err
    diagnostics.report('destination', `destination ${String(options.destination)}: ${err.message}`)
  })
  const stats: StatsEmitter = { emit: (event, ...args) => stream.emit(event, ...args) }
  const pump = new BufferPump(
    options,
    (chunk) => {
      if (failure) throw failure
      dest.write(chunk)
    },
    stats,
    diagnostics,
  )
  const stream = await build(
    (source: Source) => {
      source.on('data', (line: string) => pump.line(`${line}\n`))
      return undefined
    },
    {
      parse: 'lines',
      parseLine: skipParse,
      metadata: false,
      async close() {
        pump.close()
        if (failure) return
        const closed = new Promise<void>((resolve) => {
          dest.once('close', resolve)
          dest.once('error', () => resolve())
        })
        dest.end()
        const settled = await settleWithin(closed, options.closeTimeoutMs)
        if (!settled.done) {
          diagnostics.always(
            `close: destination ${String(options.destination)} did not finish writing within closeTimeoutMs (${options.closeTimeoutMs} ms); the last released lines may be missing`,
          )
        }
      },
    },
  )
  return stream
}

/**
 * The transport pino loads: `pino.transport({ target: '@pino-advanced/memory-buffer', options })`.
 * With `destination` it is a final target; without, a pipeline stage whose released lines go
 * to the next stage. Also works when called on the main thread (pino.multistream).
 */
export default async function memoryBufferTransport(raw: unknown = {}) {
  // A single `target` gets pino's own keys mixed into its options.
  const options = resolveOptions(withoutPinoKeys(raw))
  const diagnostics = memoryBufferDiagnostics()
  return options.destination === undefined ? pipelineStage(options, diagnostics) : finalTarget(options, diagnostics)
}
