import { isMainThread } from 'node:worker_threads'
import type { Batch } from '@pino-advanced/core'
import { buildConnector, type Client, type Dispatcher, Pool } from 'undici'
import { gzipBody } from './body.js'
import { clickhouseOutcome } from './clickhouse-answer.js'
import { type BodyEncoder, recordText } from './format/encoder.js'
import { pythonRecord } from './format/form.js'
import { createEncoder } from './format/formats.js'
import { requestHeaders } from './headers.js'
import type { ResolvedHttpAsyncOptions } from './options.js'
import { classifyError, classifyStatus, Reasons, type SendOutcome, timeoutOutcome } from './outcome.js'
import { recordQuery, withQuery } from './query.js'
import { ResponseExcerpt } from './response-excerpt.js'

/** Sends one batch (or, for GET, one record) and says what came of it; never throws. */
export interface HttpSender {
  send(records: readonly Uint8Array[], signal: AbortSignal, batch?: Batch<Uint8Array>): Promise<SendOutcome>
  /** Destroys the connection (aborting whatever is in flight); idempotent. */
  close(): Promise<void>
  /** `POST https://host/path`, for messages (no query: GET's query holds the record). */
  readonly target: string
  /** The body format's encoder. */
  readonly encoder: BodyEncoder
}

/** What the delivery loop needs of an answer. */
interface Answer {
  readonly status: number
  readonly retryAfter: string | string[] | undefined
  /** The start of the body of an answer other than 2xx, one line ('' otherwise). */
  readonly said: string
  /** A 2xx answer's whole body, when the format reads it (record by record results). */
  readonly body: Buffer | undefined
}

// A 2xx body read for per-record results beyond this is not read (the batch counts delivered,
// as any 2xx): an Elasticsearch bulk answer for 1000 records is about 200 KB.
const MAX_ANSWER_BYTES = 16 * 1024 * 1024

// Abort reasons, told apart by identity.
const TIMED_OUT = new Error('timeoutMs elapsed')
const CLOSED_OUTCOME: SendOutcome = Object.freeze({
  kind: 'retry',
  reason: Reasons.CLOSED,
  message: 'aborted by close',
})

/**
 * How the Client connects: TLS verified unless `tls` says otherwise. On the application's
 * thread (a getLogger handler with `async: false`) the socket is unref'd: a request in flight
 * to a hung endpoint must not hold the process open past its natural end, where getLogger
 * closes the handler (delivery bounded by closeTimeoutMs) instead. A worker is pino's to end.
 */
export function connectOption(tls: ResolvedHttpAsyncOptions['tls'], mainThread: boolean): Client.Options['connect'] {
  const options = { ...tls } as buildConnector.BuildOptions
  if (!mainThread) return options
  const connect = buildConnector(options)
  return (opts, callback) =>
    connect(opts, (...args) => {
      args[1]?.unref()
      callback(...args)
    })
}

/**
 * One undici Pool per transport instance (never the global dispatcher): at most
 * maxConcurrentRequests connections, kept alive, one request at a time on each (no HTTP/1.1
 * pipelining: a slow answer must not hold up the requests behind it), TLS verified unless
 * `tls` says otherwise.
 */
export function createHttpSender(options: ResolvedHttpAsyncOptions, now: () => number = Date.now): HttpSender {
  const client = new Pool(options.origin, {
    connections: options.maxConcurrentRequests,
    connect: connectOption(options.tls, isMainThread),
  })
  const encoder = createEncoder(options)
  const headers = requestHeaders(options, encoder)
  const target = `${options.method} ${options.origin}${options.path.split('?')[0]}`
  let closed = false

  // GET's query: the record's fields, or with the form format Python's LogRecord names.
  const getQuery = (line: string) =>
    options.format === 'form' ? new URLSearchParams(pythonRecord(line)).toString() : recordQuery(line)

  async function body(records: readonly Uint8Array[], batch?: Batch<Uint8Array>): Promise<Buffer | undefined> {
    if (options.method === 'GET') return undefined
    const text = encoder.encode(records, batch)
    return options.compression === 'gzip' ? gzipBody(text) : text
  }

  async function send(
    records: readonly Uint8Array[],
    signal: AbortSignal,
    batch?: Batch<Uint8Array>,
  ): Promise<SendOutcome> {
    if (closed || signal.aborted) return CLOSED_OUTCOME
    const controller = new AbortController()
    const onAbort = () => controller.abort(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    // The whole exchange, body included, is bounded; a hung endpoint cannot stall the queue.
    const timer = setTimeout(() => controller.abort(TIMED_OUT), options.timeoutMs)
    timer.unref()
    const outcome = await exchange(records, controller.signal, batch).catch((err: unknown): SendOutcome => {
      if (controller.signal.reason === TIMED_OUT) return timeoutOutcome(options.timeoutMs)
      if (closed || controller.signal.aborted) return CLOSED_OUTCOME
      return classifyError(err)
    })
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
    return outcome
  }

  async function exchange(
    records: readonly Uint8Array[],
    signal: AbortSignal,
    batch?: Batch<Uint8Array>,
  ): Promise<SendOutcome> {
    const path =
      options.method === 'GET' ? withQuery(options.path, getQuery(recordText(records, 0, batch))) : options.path
    const answer = await dispatch(path, await body(records, batch), signal)
    // ClickHouse refuses a bad row with a 500: its body says when a refusal is for good.
    const outcome =
      clickhouseOutcome(answer.status, answer.said, records, batch) ??
      classifyStatus(answer.status, answer.retryAfter, now(), answer.said, encoder.retryableStatuses)
    if (outcome.kind !== 'delivered' || answer.body === undefined || encoder.readAnswer === undefined) return outcome
    return encoder.readAnswer(answer.body, records.length)
  }

  /**
   * One request through the Pool's dispatch() with a handler that reads only the status and
   * Retry-After and lets the body go (of a refusal, its start is kept: what the endpoint said):
   * request() wraps every answer in a stream that must then be dumped (about a fifth of a
   * request's CPU here). Aborted through `signal` at any point.
   */
  function dispatch(path: string, payload: Buffer | undefined, signal: AbortSignal): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let status = 0
      let retryAfter: string | string[] | undefined
      let excerpt: ResponseExcerpt | undefined
      let chunks: Buffer[] | undefined
      let read = 0
      let started: Dispatcher.DispatchController | undefined
      const abort = () => started?.abort(signal.reason)
      signal.addEventListener('abort', abort, { once: true })
      const done = (settle: () => void) => {
        signal.removeEventListener('abort', abort)
        settle()
      }
      client.dispatch(
        { path, method: options.method, headers, body: payload ?? null },
        {
          onRequestStart(controller) {
            started = controller
            if (signal.aborted) controller.abort(signal.reason)
          },
          onResponseStart(_controller, statusCode, responseHeaders) {
            status = statusCode
            retryAfter = responseHeaders['retry-after']
            if (statusCode >= 300) excerpt = new ResponseExcerpt()
            else if (statusCode >= 200 && encoder.readAnswer !== undefined) chunks = []
          },
          onResponseData(_controller, chunk) {
            excerpt?.add(chunk)
            if (chunks === undefined) return
            read += chunk.byteLength
            // Copied: undici may reuse its buffer. Past the bound, not read at all.
            if (read <= MAX_ANSWER_BYTES) chunks.push(Buffer.from(chunk))
            else chunks = undefined
          },
          onResponseEnd() {
            const body = chunks && Buffer.concat(chunks)
            done(() => resolve({ status, retryAfter, said: excerpt?.text() ?? '', body }))
          },
          onResponseError(_controller, err) {
            done(() => reject(err))
          },
        },
      )
    })
  }

  return {
    send,
    target,
    encoder,
    async close() {
      if (closed) return
      closed = true
      await client.destroy()
    },
  }
}
