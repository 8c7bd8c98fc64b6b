// The transport against real node:http servers on 127.0.0.1 (the test sink), on the main thread.
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import pino from 'pino'
import t, { type Test } from 'tap'
import { type HttpSink, type ScriptStep, startHttpSink } from '../../../test/helpers/http-sink.ts'
import { until } from '../../../test/helpers/until.ts'
import { basicAuthorization } from '../src/headers.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import httpAsyncTransport, { createHttpAsync, type HttpAsyncStream } from '../src/transport.ts'

const fast = { retryBaseDelayMs: 10, retryMaxDelayMs: 50, flushIntervalMs: 20 }
const pinoOpts = { base: null, timestamp: false } as const

/** A transport whose diagnostics are captured instead of printed. */
async function transport(options: Record<string, unknown>) {
  const diagnostics: string[] = []
  // Some tests pass options the types refuse on purpose (they check the run-time errors).
  const stream = await createHttpAsync(options as unknown as HttpAsyncOptions, {
    writeDiagnostic: (line) => diagnostics.push(line),
    statsIntervalMs: 5,
  })
  return { stream, diagnostics }
}

/** Ends the stream and waits for its close (bounded). */
async function end(stream: HttpAsyncStream, boundMs = 15_000): Promise<DeliveryStats> {
  const closed = once(stream, 'close')
  stream.end()
  const bound = setTimeout(() => {
    throw new Error('close not in time')
  }, boundMs)
  await closed
  clearTimeout(bound)
  return stream.engine.stats()
}

const line = (msg: string, extra = '') => `{"level":30,"msg":"${msg}"${extra}}`

async function withSink(t: Test, script?: ScriptStep[]): Promise<HttpSink> {
  const sink = await startHttpSink(script === undefined ? {} : { script })
  t.teardown(() => sink.close())
  return sink
}

t.test('recording sink: a JSON array of the lines, byte for byte, POSTed to the path', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: `${sink.url}?src=test`, ...fast })
  const logger = pino(pinoOpts, stream)
  logger.info('one')
  logger.warn({ n: 2 }, 'two')
  const records = await sink.waitForRecords(2)
  t.same(records, [
    { level: 30, msg: 'one' },
    { level: 40, n: 2, msg: 'two' },
  ])
  const [req] = sink.requests
  t.equal(req?.method, 'POST')
  t.equal(req?.url, '/log?src=test')
  t.equal(req?.headers['content-type'], 'application/json')
  t.equal(req?.body, '[{"level":30,"msg":"one"},{"level":40,"n":2,"msg":"two"}]')
  const stats = await end(stream)
  t.same(stats, { destination: 'http-async', received: 2, delivered: 2, dropped: {}, retried: 0, buffered: 0 })
})

t.test('the default export works on the main thread (pino.multistream) and emits stats', async (t) => {
  const sink = await withSink(t)
  const stream = await httpAsyncTransport({
    host: `127.0.0.1:${sink.port}`,
    url: '/log',
    method: 'PUT',
    flushIntervalMs: 10,
  })
  const seen: DeliveryStats[] = []
  stream.on(STATS_EVENT, (s: DeliveryStats) => seen.push(s))
  const logger = pino({ ...pinoOpts, level: 'debug' }, pino.multistream([{ stream, level: 'debug' }]))
  logger.debug('via multistream')
  await sink.waitForRecords(1)
  t.equal(sink.requests[0]?.method, 'PUT')
  await end(stream)
  t.same(seen.at(-1), { destination: 'http-async', received: 1, delivered: 1, dropped: {}, retried: 0, buffered: 0 })
})

t.test('503 503 200: retried, delivered once, in order', async (t) => {
  const sink = await withSink(t, [503, 503, 200])
  const { stream } = await transport({ url: sink.url, ...fast, statsName: 'h' })
  for (let i = 0; i < 5; i++) stream.write(`${line(`r${i}`)}\n`)
  await sink.waitForRecords(5)
  t.same(
    sink.requests.map((r) => r.status),
    [503, 503, 200],
  )
  t.same(
    sink.records.map((r) => r.msg),
    ['r0', 'r1', 'r2', 'r3', 'r4'],
  )
  const stats = await end(stream)
  t.same(stats, { destination: 'h', received: 5, delivered: 5, dropped: {}, retried: 10, buffered: 0 })
})

t.test('429 with Retry-After in seconds is honoured', async (t) => {
  const sink = await withSink(t, [{ status: 429, headers: { 'retry-after': '1' } }])
  const { stream } = await transport({ url: sink.url, ...fast, retryMaxDelayMs: 5000 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRecords(1, 5000)
  const [first, second] = sink.requests
  const gap = (second?.at ?? 0) - (first?.at ?? 0)
  t.ok(gap >= 950, `waited the second asked for (${gap} ms)`)
  await end(stream)
})

t.test('503 with Retry-After as an HTTP date is honoured', async (t) => {
  const at = new Date(Date.now() + 2000)
  const sink = await withSink(t, [{ status: 503, headers: { 'retry-after': at.toUTCString() } }])
  const { stream } = await transport({ url: sink.url, ...fast, retryMaxDelayMs: 5000 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRecords(1, 5000)
  const [first, second] = sink.requests
  // HTTP dates have whole seconds: the wait is at least what is left of them.
  t.ok((second?.at ?? 0) >= Math.floor(at.getTime() / 1000) * 1000 - 20, 'not before the date')
  t.ok((second?.at ?? 0) - (first?.at ?? 0) < 2500)
  await end(stream)
})

t.test('400 is not retried: dropped, counted by status, reported; later records still go', async (t) => {
  const sink = await withSink(t, [400])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast, flushIntervalMs: 0 })
  stream.write(`${line('bad')}\n`)
  await sink.waitForRequests(1)
  stream.write(`${line('good')}\n`)
  await sink.waitForRecords(1)
  const stats = await end(stream)
  t.same(
    sink.requests.map((r) => r.status),
    [400, 200],
  )
  t.same(stats.dropped, { 'http-400': 1 })
  t.equal(stats.delivered, 1)
  t.match(
    diagnostics.join(''),
    /pino-advanced\/http-async: POST http:\/\/127\.0\.0\.1:\d+\/log: the endpoint answered 400; dropped 1 records \(not retried\)/,
  )
})

t.test('a refusal shows what the endpoint said: the start of its body, on one line, redacted', async (t) => {
  const unknownTable = "Code: 60. DB::Exception: Unknown table expression identifier 'logs'.\n  (UNKNOWN_TABLE)\n"
  const sink = await withSink(t, [
    { status: 404, body: unknownTable },
    { status: 503, body: '{"error":"overloaded","token":"s3cr3t-t0ken-value"}' },
    200,
    { status: 400, body: `${'x'.repeat(10_000)}` },
  ])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast, flushIntervalMs: 0 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRequests(1)
  stream.write(`${line('b')}\n`)
  await sink.waitForRecords(1)
  stream.write(`${line('c')}\n`)
  await sink.waitForRequests(4)
  t.same(
    sink.requests.map((r) => r.status),
    [404, 503, 200, 400],
  )
  const stats = await end(stream)
  t.same(stats.dropped, { 'http-404': 1, 'http-400': 1 })
  const text = diagnostics.join('')
  t.match(
    text,
    /the endpoint answered 404: Code: 60\. DB::Exception: Unknown table expression identifier 'logs'\. \(UNKNOWN_TABLE\); dropped 1 records/,
  )
  t.match(text, /answered 503: \{"error":"overloaded","token":"\[REDACTED\]"\}/)
  t.notMatch(text, /s3cr3t/, 'a secret in the body never reaches stderr')
  t.match(text, new RegExp(`answered 400: ${'x'.repeat(300)}…; dropped 1 records`), 'a long body is cut')
  t.equal(text.split('\n').filter(Boolean).length, diagnostics.length, 'one line each')
})

t.test('413 from a real endpoint: the batch goes again in halves, nothing lost', async (t) => {
  const sink = await withSink(t, [{ status: 413, body: 'Request Entity Too Large' }])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast })
  stream.write(['a', 'b', 'c', 'd'].map((m) => `${line(m)}\n`).join(''))
  await sink.waitForRecords(4)
  const stats = await end(stream)
  t.same(
    sink.requests.map((r) => [r.status, (JSON.parse(r.body) as unknown[]).length]),
    [
      [413, 4],
      [200, 2],
      [200, 2],
    ],
  )
  t.same(
    sink.records.map((r) => r.msg),
    ['a', 'b', 'c', 'd'],
  )
  t.match(stats, { delivered: 4, dropped: {} })
  t.match(
    diagnostics.join(''),
    /answered 413: Request Entity Too Large; split the batch of 4 records in two \(2 \+ 2\)/,
  )
})

t.test('a hang beyond timeoutMs is aborted and retried', async (t) => {
  const sink = await withSink(t, [{ hang: true }])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast, timeoutMs: 200 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRecords(1, 5000)
  const stats = await end(stream)
  t.equal(sink.requests.length, 2)
  t.equal(stats.retried, 1)
  t.match(diagnostics.join(''), /no answer within timeoutMs \(200 ms\)/)
})

t.test('a reset connection is retried', async (t) => {
  const sink = await withSink(t, [{ reset: true }, { reset: true }])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast })
  stream.write(`${line('a')}\n`)
  await sink.waitForRecords(1, 5000)
  const stats = await end(stream)
  t.equal(stats.delivered, 1)
  t.equal(stats.retried, 2)
  t.match(diagnostics.join(''), /connection error/)
})

t.test('a slow answer within timeoutMs is fine', async (t) => {
  const sink = await withSink(t, [{ status: 202, delayMs: 100 }])
  const { stream } = await transport({ url: sink.url, ...fast, timeoutMs: 2000 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRecords(1)
  t.equal((await end(stream)).retried, 0)
})

t.test('outage then recovery: zero loss, order kept', async (t) => {
  const sink = await withSink(
    t,
    Array.from({ length: 12 }, () => 503),
  )
  // One request at a time: batches arrive in the order of their records.
  const { stream } = await transport({
    url: sink.url,
    ...fast,
    maxBatchRecords: 7,
    flushIntervalMs: 5,
    maxConcurrentRequests: 1,
  })
  const logger = pino(pinoOpts, stream)
  for (let i = 0; i < 100; i++) {
    logger.info({ i }, 'r')
    if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5))
  }
  await sink.waitForRecords(100, 10_000)
  t.same(
    sink.records.map((r) => r.i),
    Array.from({ length: 100 }, (_, i) => i),
  )
  const stats = await end(stream)
  t.same(
    { ...stats, retried: 0 },
    { destination: 'http-async', received: 100, delivered: 100, dropped: {}, retried: 0, buffered: 0 },
  )
})

t.test('GET: one request per record, fields as query parameters', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: `${sink.url}?app=x`, method: 'GET' })
  const logger = pino(pinoOpts, stream)
  logger.info({ user: { id: 7 }, ok: true }, 'hello world')
  logger.error('second')
  const records = await sink.waitForRecords(2)
  t.same(records, [
    { app: 'x', level: '30', user: '{"id":7}', ok: 'true', msg: 'hello world' },
    { app: 'x', level: '50', msg: 'second' },
  ])
  t.equal(sink.requests.length, 2)
  t.equal(sink.requests[0]?.body, '')
  t.equal(sink.requests[0]?.headers['content-type'], undefined)
  await end(stream)
})

t.test('gzip body, decoded by the sink', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: sink.url, compression: 'gzip', ...fast })
  stream.write(`${line('zipped é')}\n`)
  const records = await sink.waitForRecords(1)
  t.same(records, [{ level: 30, msg: 'zipped é' }])
  t.equal(sink.requests[0]?.headers['content-encoding'], 'gzip')
  await end(stream)
})

t.test('ndjson body', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: sink.url, format: 'ndjson', ...fast })
  stream.write(`${line('a')}\n${line('b')}\n`)
  await sink.waitForRecords(2)
  t.equal(sink.requests[0]?.body, `${line('a')}\n${line('b')}\n`)
  t.equal(sink.requests[0]?.headers['content-type'], 'application/x-ndjson')
  await end(stream)
})

t.test('Basic auth and headers are sent; no secret appears in any diagnostic', async (t) => {
  const sink = await withSink(t, [503, 401, { hang: true }])
  const password = 'pa55-w0rd-xyz'
  const token = 'Bearer tok-123456789'
  const { stream, diagnostics } = await transport({
    url: sink.url,
    ...fast,
    flushIntervalMs: 0,
    credentials: ['ann', password],
    headers: { 'X-Api-Key': 'key-abcdef', 'X-Trace': 'trace-value' },
    timeoutMs: 100,
    closeTimeoutMs: 300,
  })
  stream.write(`${line('a')}\n`)
  await sink.waitForRequests(2)
  stream.write(`${line('b')}\n`)
  await sink.waitForRequests(3)
  const req = sink.requests[0]
  t.equal(req?.headers.authorization, basicAuthorization({ user: 'ann', password }))
  t.equal(req?.headers['x-api-key'], 'key-abcdef')
  t.equal(req?.headers['x-trace'], 'trace-value')
  await end(stream)
  const text = diagnostics.join('')
  t.match(text, /answered 503/)
  t.match(text, /answered 401/)
  for (const secret of [
    password,
    'key-abcdef',
    'trace-value',
    Buffer.from(`ann:${password}`).toString('base64'),
    token,
  ]) {
    t.notMatch(text, secret, `no ${secret.slice(0, 4)}... in diagnostics`)
  }
})

t.test('close against a dead endpoint resolves within its deadline and reports', async (t) => {
  const dead = await startHttpSink()
  const url = dead.url
  await dead.close()
  const { stream, diagnostics } = await transport({ url, ...fast, closeTimeoutMs: 400 })
  for (let i = 0; i < 3; i++) stream.write(`${line(`r${i}`)}\n`)
  const started = Date.now()
  const stats = await end(stream)
  const took = Date.now() - started
  t.ok(took < 1500, `closed in ${took} ms`)
  t.same(stats.dropped, { 'close-timeout': 3 })
  t.equal(stats.buffered, 0)
  t.match(
    diagnostics.join(''),
    /close: 3 records not delivered .* within closeTimeoutMs \(400 ms\); last problem: connection error \(ECONNREFUSED\)/,
  )
})

t.test('close against a hanging endpoint aborts the request by its deadline', async (t) => {
  const sink = await withSink(t, [{ hang: true }])
  const { stream, diagnostics } = await transport({ url: sink.url, ...fast, timeoutMs: 60_000, closeTimeoutMs: 300 })
  stream.write(`${line('a')}\n`)
  await sink.waitForRequests(1)
  const started = Date.now()
  const stats = await end(stream)
  const took = Date.now() - started
  t.ok(took >= 280 && took < 1500, `closed in ${took} ms`)
  t.same(stats.dropped, { 'close-timeout': 1 })
  t.match(diagnostics.join(''), /1 records not delivered/)
})

t.test('close delivers what is held at once, without waiting for flushIntervalMs', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: sink.url, flushIntervalMs: 60_000 })
  stream.write(`${line('held')}\n`)
  const started = Date.now()
  const stats = await end(stream)
  t.ok(Date.now() - started < 1000)
  t.equal(stats.delivered, 1)
  t.equal(sink.records.length, 1)
})

t.test('TLS: verified by default (self-signed refused), accepted with its ca', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-tls-'))
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  )
  const pem = readFileSync(cert, 'utf8')
  const bodies: string[] = []
  const server = createServer({ key: readFileSync(key), cert: pem }, (req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      bodies.push(body)
      res.end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/log`

  const refused = await transport({ url, ...fast, closeTimeoutMs: 300 })
  refused.stream.write(`${line('untrusted')}\n`)
  const stats = await end(refused.stream)
  t.same(stats.dropped, { 'close-timeout': 1 }, 'never delivered to an unverified server')
  t.match(refused.diagnostics.join(''), /connection error \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED|UNABLE)/)
  t.same(bodies, [])

  const trusted = await transport({ url, ...fast, ca: pem })
  trusted.stream.write(`${line('trusted')}\n`)
  t.equal((await end(trusted.stream)).delivered, 1)
  t.same(bodies, [`[${line('trusted')}]`])
})

t.test('stream destroyed with an error still closes the engine', async (t) => {
  const sink = await withSink(t)
  const { stream } = await transport({ url: sink.url, flushIntervalMs: 60_000 })
  stream.write(`${line('a')}\n`)
  await new Promise((r) => setImmediate(r))
  const errors: Error[] = []
  stream.on('error', (err) => errors.push(err))
  const closed = new Promise((resolve) => stream.once('close', resolve))
  stream.destroy(new Error('pipeline failed'))
  await closed
  t.equal(stream.engine.stats().buffered, 0)
  t.equal(stream.engine.stats().delivered, 1, 'what was held is delivered on destroy too')
  t.match(errors, [{ message: 'pipeline failed' }])
})

t.test('backpressure: a burst faster than the endpoint waits instead of overflowing', async (t) => {
  const sink = await withSink(t, [{ status: 200, delayMs: 200 }])
  const { stream } = await transport({ url: sink.url, maxBufferBytes: 4000, maxBatchRecords: 10, flushIntervalMs: 0 })
  // A writer that waits for 'drain', as pino's worker does with a single target.
  let waits = 0
  for (let i = 0; i < 1500; i++) {
    if (!stream.write(`${line(`r${i}`)}\n`)) {
      waits++
      await once(stream, 'drain')
    }
  }
  t.ok(waits > 0, 'write() said wait')
  const records = await sink.waitForRecords(1500)
  t.same(records.map((r) => r.msg).sort(), Array.from({ length: 1500 }, (_, i) => `r${i}`).sort(), 'every record, once')
  const stats = await end(stream)
  t.same(stats.dropped, {}, 'nothing dropped: the writer was held back instead')
})

t.test(
  'a writer that does not wait for drain: what it queues counts against maxBufferBytes, overflow counted',
  async (t) => {
    const sink = await withSink(t, [{ status: 200, delayMs: 200 }])
    const { stream } = await transport({ url: sink.url, maxBufferBytes: 4000, maxBatchRecords: 10, flushIntervalMs: 0 })
    const size = Buffer.byteLength(`${line('r0000')}\n`)
    let most = 0
    for (let i = 0; i < 1500; i++) {
      stream.write(`${line(`r${String(i).padStart(4, '0')}`)}\n`)
      most = Math.max(most, stream.engine.bufferedBytes + stream.writableLength)
    }
    // The chunk whose callback is held is in the engine and in writableLength both; and a record
    // arriving at a full buffer is held while the oldest goes (drop-oldest).
    t.ok(most <= 4000 + 2 * size, `at most ${most} bytes held and queued (maxBufferBytes 4000)`)
    const stats = await end(stream)
    const dropped = stats.dropped.overflow ?? 0
    t.ok(dropped > 0, `${dropped} dropped for overflow, counted`)
    t.same(
      { received: stats.received, accounted: stats.delivered + dropped, buffered: stats.buffered },
      { received: 1500, accounted: 1500, buffered: 0 },
    )
    t.equal(sink.records.length, stats.delivered, 'what was not dropped arrived')
  },
)

t.test('destroyed while holding pino back: the waiting write is released, close is bounded', async (t) => {
  const sink = await withSink(t, [{ hang: true }])
  const { stream } = await transport({ url: sink.url, maxBufferBytes: 400, flushIntervalMs: 0, closeTimeoutMs: 200 })
  for (let i = 0; i < 100; i++) stream.write(`${line(`r${i}`)}\n`)
  await sink.waitForRequests(1)
  const closed = new Promise((resolve) => stream.once('close', resolve))
  stream.destroy()
  await closed
  const stats = stream.engine.stats()
  t.equal(stats.buffered, 0)
  t.equal(stats.received, stats.delivered + Object.values(stats.dropped).reduce((a, b) => a + b, 0))
  t.ok((stats.dropped['close-timeout'] ?? 0) > 0)
})

t.test('the endpoint down, then back: end() cuts the pending retry wait short and delivers at once', async (t) => {
  const sink = await withSink(t)
  await sink.down()
  // A long backoff: without the cut, close would wait it out past closeTimeoutMs.
  const { stream } = await transport({
    url: sink.url,
    flushIntervalMs: 0,
    retryBaseDelayMs: 60_000,
    retryMaxDelayMs: 60_000,
    closeTimeoutMs: 1000,
  })
  for (let i = 0; i < 2000; i++) stream.write(`${line(`r${i}`)}\n`)
  await until(() => stream.engine.stats().retried > 0, 'a failed attempt')
  await sink.up()
  const stats = await end(stream)
  t.same({ delivered: stats.delivered, dropped: stats.dropped }, { delivered: 2000, dropped: {} })
  t.equal(sink.records.length, 2000)
})

t.test(
  'a chunk far larger than maxBufferBytes (pino hands over up to 4 MB): taken in pieces, delayed, not dropped',
  async (t) => {
    const sink = await withSink(t)
    const { stream } = await transport({ url: sink.url, maxBufferBytes: 64 * 1024, flushIntervalMs: 0 })
    const lines = Array.from({ length: 20_000 }, (_, i) => `${line(`r${i}`)}\n`)
    const chunk = lines.join('')
    t.ok(chunk.length > 8 * 64 * 1024, `one chunk of ${chunk.length} bytes`)
    await new Promise<void>((resolve) => stream.write(chunk, () => resolve()))
    const stats = await end(stream)
    t.same({ delivered: stats.delivered, dropped: stats.dropped }, { delivered: 20_000, dropped: {} })
    t.equal(sink.records.length, 20_000)
  },
)
