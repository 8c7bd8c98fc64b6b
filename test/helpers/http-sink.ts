/**
 * A real HTTP sink for tests (node:http on 127.0.0.1, port 0) that records every request.
 *
 *   const sink = await startHttpSink({ script: [503, { status: 429, headers: { 'retry-after': '1' } }] })
 *   // ... point a transport at sink.url ...
 *   await sink.waitForRecords(3, 5000)   // resolves with sink.records once 3 arrived; rejects at the bound
 *   sink.requests[0].headers.authorization, sink.requests[0].body
 *   await sink.close()
 *
 * `script`: the answers to the first requests, in order; each a status (answered with an empty
 * body) or `{ status?, headers?, delayMs?, hang?: true, reset?: true, partial?: true,
 * slowReadMs?, body? }`: `delayMs` answers late, `body` is the answer's body, `hang` never answers (until close), `reset` destroys
 * the connection without an answer, `partial` destroys it after reading the first chunk of the
 * body, `slowReadMs` reads the body one chunk per that many ms. Once the script is used up
 * every request gets `defaultStatus` (200), `defaultDelayMs` late (0: at once; an endpoint in
 * another region answers 20-200 ms late).
 *
 * `down()` stops listening (connections are then refused) and drops open connections; `up()`
 * listens again on the same port.
 *
 * Every request is recorded in `requests` (method, url, headers, body decompressed when
 * Content-Encoding is gzip). Records are parsed out of the requests answered 2xx only (what
 * was delivered): a JSON array body, NDJSON lines, or for GET the query parameters as an object;
 * `parse` reads other formats (a protobuf body, Loki's streams, a bulk body).
 *
 * `respond(request)`: the answer to a request the script does not cover, from what it carried
 * (an Elasticsearch bulk answer item by item, say); undefined falls back to `defaultStatus`.
 */
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

export type ScriptStep =
  | number
  | {
      readonly status?: number
      readonly headers?: Readonly<Record<string, string>>
      readonly delayMs?: number
      readonly hang?: true
      readonly reset?: true
      readonly partial?: true
      readonly slowReadMs?: number
      /** The answer's body (default: none); bytes for a binary answer (a protobuf). */
      readonly body?: string | Buffer
    }

export interface SinkRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** Decompressed body text. */
  readonly body: string
  /** Decompressed body bytes (a protobuf body is not text). */
  readonly rawBody: Buffer
  /** The status answered; undefined for hang and reset. */
  readonly status: number | undefined
  /** Arrival time (Date.now()). */
  readonly at: number
}

export interface HttpSink {
  /** `http://127.0.0.1:<port>/log` */
  readonly url: string
  readonly port: number
  readonly requests: SinkRequest[]
  /** Records delivered (from 2xx-answered requests), in arrival order. */
  readonly records: Record<string, unknown>[]
  waitForRecords(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>
  waitForRequests(n: number, timeoutMs?: number): Promise<SinkRequest[]>
  /** Refuses connections from now on (open ones are dropped). */
  down(): Promise<void>
  /** Listens again, on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

export interface SinkOptions {
  readonly script?: readonly ScriptStep[]
  readonly defaultStatus?: number
  readonly defaultDelayMs?: number
  readonly respond?: (request: SinkRequest) => ScriptStep | undefined
  /** The records a 2xx-answered request delivered (default: JSON array, NDJSON or GET query). */
  readonly parse?: (request: SinkRequest) => Record<string, unknown>[]
}

function parseRecords(req: IncomingMessage, body: string): Record<string, unknown>[] {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://sink').searchParams
    return [Object.fromEntries(params)]
  }
  const text = body.trim()
  if (text === '') return []
  if (text.startsWith('[')) return JSON.parse(text) as Record<string, unknown>[]
  // NDJSON may carry lines that are not JSON (sent as they are): those are not records.
  return text.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>]
    } catch {
      return []
    }
  })
}

export async function startHttpSink(options: SinkOptions = {}): Promise<HttpSink> {
  const script = [...(options.script ?? [])]
  const requests: SinkRequest[] = []
  const records: Record<string, unknown>[] = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const w of waiters) w()
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    const scripted = script.shift()
    const fallback = { status: options.defaultStatus ?? 200, delayMs: options.defaultDelayMs }
    const step = scripted ?? fallback
    let plan: Exclude<ScriptStep, number> = typeof step === 'number' ? { status: step } : step
    req.on('data', (c: Buffer) => {
      chunks.push(c)
      if (plan.partial) {
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: '',
          rawBody: Buffer.alloc(0),
          status: undefined,
          at: Date.now(),
        })
        req.socket.destroy()
        notify()
      } else if (plan.slowReadMs !== undefined) {
        req.pause()
        setTimeout(() => req.resume(), plan.slowReadMs)
      }
    })
    req.on('end', () => {
      if (plan.partial) return
      const raw = Buffer.concat(chunks)
      const rawBody = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw
      const body = rawBody.toString('utf8')
      const at = Date.now()
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, rawBody, at }
      if (scripted === undefined && options.respond) {
        const custom = options.respond({ ...seen, status: undefined })
        if (custom !== undefined) plan = typeof custom === 'number' ? { status: custom } : custom
      }
      const status = plan.hang || plan.reset ? undefined : (plan.status ?? 200)
      const answer = () => {
        const request = { ...seen, status }
        requests.push(request)
        if (plan.reset) {
          req.socket.destroy()
        } else if (status !== undefined) {
          if (status >= 200 && status < 300) {
            records.push(...(options.parse ? options.parse(request) : parseRecords(req, body)))
          }
          res.writeHead(status, plan.headers)
          res.end(plan.body)
        }
        notify()
      }
      if (plan.delayMs !== undefined) setTimeout(answer, plan.delayMs)
      else answer()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const stop = async () => {
    server.closeAllConnections()
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  function waitFor<T>(done: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = done()
        if (value === undefined) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(value)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(
          new Error(
            `http sink: ${what} not reached within ${timeoutMs} ms (${records.length} records, ${requests.length} requests)`,
          ),
        )
      }, timeoutMs)
      waiters.add(check)
      check()
    })
  }

  return {
    url: `http://127.0.0.1:${port}/log`,
    port,
    requests,
    records,
    waitForRecords: (n, timeoutMs = 10_000) =>
      waitFor(() => (records.length >= n ? records : undefined), `${n} records`, timeoutMs),
    waitForRequests: (n, timeoutMs = 10_000) =>
      waitFor(() => (requests.length >= n ? requests : undefined), `${n} requests`, timeoutMs),
    down: stop,
    async up() {
      server.listen(port, '127.0.0.1')
      await once(server, 'listening')
    },
    close: stop,
  }
}
