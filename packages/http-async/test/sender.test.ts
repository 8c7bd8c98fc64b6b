import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { DeliveryEngine } from '../src/delivery/engine.ts'
import { secretsOf } from '../src/diagnostics.ts'
import { connectOption, createHttpSender } from '../src/http-sender.ts'
import * as api from '../src/index.ts'
import { resolveOptions } from '../src/options.ts'
import { createHttpAsync } from '../src/transport.ts'

t.test('the package entry exports the factory and the resolver', async (t) => {
  t.equal(typeof api.default, 'function')
  t.equal(api.resolveOptions, resolveOptions)
  t.equal(api.SOURCE, 'pino-advanced/http-async')
})

t.test('aborting an in-flight request (close) is not a failure to report', async (t) => {
  const sink = await startHttpSink({ script: [{ hang: true }] })
  t.teardown(() => sink.close())
  const sender = createHttpSender(resolveOptions({ url: sink.url, timeoutMs: 60_000 }))
  const controller = new AbortController()
  const pending = sender.send([Buffer.from('{"a":1}')], controller.signal)
  await sink.waitForRequests(1)
  controller.abort(new Error('closed'))
  t.match(await pending, { kind: 'retry', reason: 'closed' })
  t.match(
    await sender.send([Buffer.from('{"a":1}')], controller.signal),
    { reason: 'closed' },
    'an aborted signal sends nothing',
  )
  await sender.close()
  await sender.close()
  t.match(
    await sender.send([Buffer.from('{"a":1}')], new AbortController().signal),
    { reason: 'closed' },
    'after close: nothing',
  )
  t.equal(sink.requests.length, 1)
})

t.test('a request killed by close of the client reports closed', async (t) => {
  const sink = await startHttpSink({ script: [{ hang: true }] })
  t.teardown(() => sink.close())
  const sender = createHttpSender(resolveOptions({ url: sink.url, timeoutMs: 60_000 }))
  const pending = sender.send([Buffer.from('{"a":1}')], new AbortController().signal)
  await sink.waitForRequests(1)
  await sender.close()
  t.match(await pending, { kind: 'retry', reason: 'closed' })
})

t.test('secrets: password, Basic token, header values, TLS key material', async (t) => {
  const o = resolveOptions({
    url: 'https://x/log',
    credentials: ['ann', 'pw-123456'],
    headers: { 'X-Token': 'tok-1' },
    tls: { key: ['K1', 'K2'], passphrase: 'phrase-1', cert: 'C' },
  })
  t.same(
    secretsOf(o).sort(),
    ['K1', 'K2', 'phrase-1', 'pw-123456', 'tok-1', Buffer.from('ann:pw-123456').toString('base64')].sort(),
  )
  t.same(secretsOf(resolveOptions({ url: 'https://x/log', tls: { key: 'K' } })), ['K'])
})

t.test('engine defaults: the system clock and Math.random', async (t) => {
  const engine = new DeliveryEngine(
    { ...resolveOptions({ url: 'http://x/log' }), flushIntervalMs: 0 },
    {
      send: async () => ({ kind: 'delivered' }),
      stats: { emit: () => true },
      diagnostics: { report: () => {}, always: () => {} },
      target: 't',
    },
  )
  engine.push('a')
  t.equal((await engine.close()).delivered, 1)
})

t.test('createHttpAsync with an injected random', async (t) => {
  const sink = await startHttpSink({ script: [503] })
  t.teardown(() => sink.close())
  const stream = await createHttpAsync(
    { url: sink.url, flushIntervalMs: 0, retryBaseDelayMs: 1000 },
    { random: () => 0, writeDiagnostic: () => {} },
  )
  stream.write('{"a":1}\n')
  await sink.waitForRecords(1, 2000)
  t.ok((sink.requests[1]?.at ?? 0) - (sink.requests[0]?.at ?? 0) < 500, 'random() = 0: no wait')
  stream.end()
})

t.test('GET from whole lines (no batch ranges) and from a range of a chunk', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const sender = createHttpSender(resolveOptions({ url: sink.url, method: 'GET' }))
  const signal = new AbortController().signal
  t.match(await sender.send([Buffer.from('{"a":"1"}')], signal), { kind: 'delivered' })
  const chunk = Buffer.from('{"x":"skip"}\n{"b":"2"}\n')
  const batch = { items: [chunk], bytes: 9, offsets: Float64Array.from([13]), sizes: Float64Array.from([9]) }
  t.match(await sender.send([chunk], signal, batch), { kind: 'delivered' })
  t.same(sink.records, [{ a: '1' }, { b: '2' }])
  await sender.close()
})

t.test('in a worker the connection options are undici’s own (only the main thread unrefs its socket)', async (t) => {
  t.same(connectOption(undefined, false), {})
  t.same(connectOption({ rejectUnauthorized: false }, false), { rejectUnauthorized: false })
  t.type(connectOption(undefined, true), 'function')
})

t.test('an answer with a body (Elasticsearch, a collector) is read and let go', async (t) => {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ took: 1, errors: false, items: Array.from({ length: 500 }, () => ({ status: 201 })) }))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const { port } = server.address() as AddressInfo
  const sender = createHttpSender(resolveOptions({ url: `http://127.0.0.1:${port}/_bulk` }))
  for (let i = 0; i < 3; i++) {
    t.same(await sender.send([Buffer.from('{"a":1}')], new AbortController().signal), { kind: 'delivered' })
  }
  await sender.close()
})

t.test('timeoutMs covers building the body: a deadline passed before the request starts aborts it', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  // Compressing 4 MB takes longer than 1 ms: the timer fires while the body is being built.
  const sender = createHttpSender(resolveOptions({ url: sink.url, timeoutMs: 1, compression: 'gzip' }))
  const records = Array.from({ length: 4000 }, (_, i) => Buffer.from(`{"i":${i},"pad":"${'x'.repeat(1000)}"}`))
  t.match(await sender.send(records, new AbortController().signal), { kind: 'retry', reason: 'timeout' })
  t.equal(sink.records.length, 0, 'nothing delivered')
  await sender.close()
})

t.test('an accepted answer too large to read record by record (over 16 MiB) delivers the batch', async (t) => {
  // A bulk answer saying every item failed, padded past the bound: not read, so not believed.
  const items = JSON.stringify({ errors: true, items: [{ index: { status: 400, error: { type: 'x' } } }] })
  const sink = await startHttpSink({ script: [{ status: 200, body: `${items}${' '.repeat(17 * 1024 * 1024)}` }] })
  t.teardown(() => sink.close())
  const sender = createHttpSender(resolveOptions({ url: sink.url, format: 'elasticsearch', timeoutMs: 60_000 }))
  t.teardown(() => sender.close())
  t.match(await sender.send([Buffer.from('{"a":1}')], new AbortController().signal), { kind: 'delivered' })
})
