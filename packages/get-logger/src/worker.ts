import {
  type DeliveryStats,
  type Diagnostics,
  DROP_REASONS,
  FLUSHED_EVENT,
  type FlushOutcome,
  type FlushReply,
  flushMarker,
  STATS_EVENT,
  settleWithin,
  signalClose,
} from '@pino-advanced/core'
import pino, { type TransportMultiOptions } from 'pino'
import { countLines } from './file-destination.js'

type Transport = ReturnType<typeof pino.transport> & { ref(): void }

const WORKER_YOUNG_GENERATION_MB = 8

/** Drop reason of the records a dead worker held or was given afterwards. */
export const WORKER_FAILED = DROP_REASONS.workerFailed.name

/**
 * The one pino worker of a logger, with what shutdown needs. thread-stream reports a worker
 * that dies (a destination that throws), or one that does not take its input in time, as an
 * 'error' event: unhandled, that would crash the application. It is reported on stderr
 * instead; from then on records written to it are counted and dropped (getStats' `worker`
 * entry), and what its destinations last said they held is counted dropped too.
 */
export function startWorker(
  targets: TransportMultiOptions['targets'],
  diagnostics: Diagnostics,
  latest: Record<string, DeliveryStats>,
  /** The logger's custom levels: the targets' level labels may name them. */
  levels?: Readonly<Record<string, number>>,
) {
  // A small young generation: the worker's garbage (a string per line from pino's split2, a
  // body per attempt) is short-lived; V8's default let it grow RSS by tens of MiB under load
  // (bench/outage-memory.mjs: 74.7 -> 55.8 MiB peak growth through an outage).
  const transport = pino.transport({
    targets,
    ...(levels === undefined ? {} : { levels: { ...levels } }),
    worker: { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } },
  }) as Transport
  let ready = false
  // Until the worker is up, no destination has counted anything: the records written meanwhile
  // are counted here, so that a worker that fails to start (a spool in use) loses none uncounted.
  const write = transport.write.bind(transport) as (chunk: string) => boolean
  let early = 0
  transport.write = (chunk: string) => {
    early += countLines(chunk)
    return write(chunk)
  }
  const started = new Promise<void>((resolve) =>
    transport.once('ready', () => {
      ready = true
      transport.write = write
      resolve()
    }),
  )
  let closed = false
  transport.once('close', () => {
    closed = true
  })
  const inWorker = new Set<string>()
  transport.on(STATS_EVENT, (stats: DeliveryStats) => inWorker.add(stats.destination))
  let lost: number | undefined
  transport.on('error', (err: Error) => {
    diagnostics.report('worker', `the worker thread failed: ${err.message}; its records are dropped from now on`)
    if (lost !== undefined) return
    lost = 0
    const count = (records: number) => {
      lost = (lost as number) + records
      latest.worker = {
        destination: 'worker',
        received: lost,
        delivered: 0,
        dropped: { [WORKER_FAILED]: lost },
        retried: 0,
        buffered: 0,
      }
    }
    if (!ready) count(early)
    for (const name of inWorker) {
      const s = latest[name] as DeliveryStats
      latest[name] = { ...s, dropped: { ...s.dropped, [WORKER_FAILED]: s.buffered }, buffered: 0 }
    }
    transport.write = (chunk: string) => {
      count(countLines(chunk))
      return true
    }
  })
  let flushes = 0
  return {
    transport,
    /**
     * Flushes every destination in the worker: a marker behind every record written so far
     * (see core's flushMarker), answered by each of the `expected` destinations (memory buffer
     * stages included) once delivered, or at `timeoutMs` (each its own closeTimeoutMs when
     * undefined). Resolves with the answers by destination, after at most `waitMs`.
     */
    async flush(timeoutMs: number | undefined, expected: number, waitMs: number): Promise<Map<string, FlushOutcome>> {
      const answers = new Map<string, FlushOutcome>()
      if (closed || lost !== undefined) return answers
      const id = ++flushes
      let done!: () => void
      const all = new Promise<void>((resolve) => {
        done = resolve
      })
      const onFlushed = (reply: FlushReply) => {
        if (reply.id !== id) return
        answers.set(reply.stats.destination, { complete: reply.complete, stats: reply.stats })
        latest[reply.stats.destination] = reply.stats
        if (answers.size === expected) done()
      }
      transport.on(FLUSHED_EVENT, onFlushed)
      transport.once('close', done)
      // pino unrefs its worker: the process must stay up for the answers.
      const keepAlive = setInterval(() => {}, 1000)
      // Not counted as a record (the write before the worker is up counts lines).
      write(flushMarker(id, timeoutMs))
      await settleWithin(all, waitMs)
      clearInterval(keepAlive)
      transport.removeListener(FLUSHED_EVENT, onFlushed)
      transport.removeListener('close', done)
      return answers
    },
    /**
     * Tells the worker that closing begins, before end() (and, at exit, before pino's own exit
     * handler blocks this thread in it): the transports take in what thread-stream still holds
     * at once, and their close deadline starts there. Idempotent on the worker's side.
     */
    signalClose: () => signalClose(transport),
    /** Ends the worker: it delivers and closes (bounded by the caller, `deadlineMs`). */
    async end(deadlineMs: number): Promise<void> {
      // end() blocks this thread until the worker has read everything; a worker still starting
      // reads nothing until it is up (seconds, with many on a busy machine): wait for it here,
      // with the event loop free for the handlers on this thread.
      if (!ready && lost === undefined) await settleWithin(started, deadlineMs)
      // A worker that died has nothing left to end.
      if (closed) return
      signalClose(transport)
      await endTransport(transport)
    },
  }
}

function endTransport(transport: Transport): Promise<void> {
  return new Promise((resolve) => {
    // pino unrefs its worker (again when it becomes ready); hold the process open until the
    // worker has delivered and closed, so that code after `await shutdown()` runs.
    const ref = () => transport.ref()
    transport.once('ready', ref)
    transport.once('close', () => {
      transport.removeListener('ready', ref)
      resolve()
    })
    ref()
    transport.end()
  })
}
