import { join } from 'node:path'
import { ConfigError } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { configErrorFacts, thrown } from '../../../test/helpers/config-error.ts'
import { DEFAULTS, OPTION_NAMES, resolveOptions } from '../src/options.ts'

const url = 'https://logs.example.com/ingest'

/** One assertion: a ConfigError naming `option`, alone and under the preset's prefix too. */
function rejects(t: Test, raw: Record<string, unknown>, option: string, message?: RegExp) {
  const facts = ['', 'http_handler'].map((prefix) => {
    const name = prefix === '' ? option : `${prefix}.${option}`
    return configErrorFacts(
      thrown(() => resolveOptions(raw, prefix)),
      name,
      { type: ConfigError, ...(message === undefined ? {} : { message }) },
    )
  })
  t.same(
    facts.map((f) => f.actual),
    facts.map((f) => f.wanted),
    `${JSON.stringify(raw).slice(0, 80)} -> ${option}`,
  )
}

t.test('defaults', async (t) => {
  const o = resolveOptions({ url })
  t.same(o, {
    origin: 'https://logs.example.com',
    path: '/ingest',
    method: 'POST',
    credentials: undefined,
    headers: {},
    format: 'json',
    compression: 'none',
    maxBatchRecords: 1000,
    maxBatchBytes: 1024 * 1024,
    flushIntervalMs: 1000,
    maxConcurrentRequests: 8,
    timeoutMs: 10_000,
    maxBufferBytes: 16 * 1024 * 1024,
    overflow: 'drop-oldest',
    maxRecordBytes: 1024 * 1024,
    maxRetries: undefined,
    retryBaseDelayMs: 200,
    retryMaxDelayMs: 30_000,
    closeTimeoutMs: 5000,
    statsName: 'http-async',
    tls: undefined,
    spool: undefined,
    otlp: undefined,
    loki: undefined,
    elasticsearch: undefined,
  })
  t.ok(Object.isFrozen(o))
  t.equal(DEFAULTS.statsName, 'http-async')
  t.equal(OPTION_NAMES.length, 27, "the design's options and each store format's own")
})

t.test('spool: the directory made absolute, 1 GiB by default, segments an eighth of it up to 1 MiB', async (t) => {
  t.same(resolveOptions({ url, spool: { dir: 'var/spool' } }).spool, {
    dir: join(process.cwd(), 'var/spool'),
    maxBytes: 1024 * 1024 * 1024,
    segmentBytes: 1024 * 1024,
  })
  t.same(resolveOptions({ url, spool: { dir: '/s', maxBytes: 65_536 } }).spool, {
    dir: '/s',
    maxBytes: 65_536,
    segmentBytes: 8192,
  })
})

t.test('the documented host + url + secure form', async (t) => {
  t.match(resolveOptions({ host: 'localhost:8000', url: '/log', method: 'POST' }), {
    origin: 'http://localhost:8000',
    path: '/log',
  })
  t.match(resolveOptions({ host: 'logs.example.com', url: '/a/b?x=1', secure: true }), {
    origin: 'https://logs.example.com',
    path: '/a/b?x=1',
  })
  t.match(resolveOptions({ host: '[::1]:9000', url: '/' }), { origin: 'http://[::1]:9000' })
  t.match(resolveOptions({ url: 'http://127.0.0.1:9/x?y=1#frag', secure: false }), {
    origin: 'http://127.0.0.1:9',
    path: '/x?y=1',
  })
})

t.test('address errors name the option', async (t) => {
  rejects(t, {}, 'url', /required/)
  rejects(t, { url: '/log' }, 'url', /absolute http\(s\) URL/)
  rejects(t, { url: 'ftp://x/y' }, 'url')
  rejects(t, { url: 'not a url' }, 'url')
  rejects(t, { url: 42 }, 'url')
  rejects(t, { host: 'localhost:8000', url: 'log' }, 'url', /starting with '\/'/)
  rejects(t, { host: 'http://localhost:8000', url: '/log' }, 'host', /no scheme/)
  rejects(t, { host: 'localhost/x', url: '/log' }, 'host')
  rejects(t, { host: '', url: '/log' }, 'host')
  rejects(t, { url, secure: false }, 'secure', /scheme is https/)
  rejects(t, { url, secure: 'yes' }, 'secure')
})

t.test('a URL with credentials is refused without echoing them', async (t) => {
  try {
    resolveOptions({ url: 'https://ann:hunter22@logs.example.com/x' })
    t.fail('accepted')
  } catch (err) {
    t.equal((err as ConfigError).option, 'url')
    t.notMatch((err as Error).message, /hunter22/)
    t.match((err as Error).message, /use credentials/)
  }
})

t.test("method in any case, as Python's HTTPHandler takes it (issue 18)", async (t) => {
  t.same(
    ['post', 'Put', 'get'].map((method) => resolveOptions({ url, method }).method),
    ['POST', 'PUT', 'GET'],
  )
})

t.test('every other option gives a ConfigError naming it', async (t) => {
  const bad: [string, unknown][] = [
    ['method', 'PATCH'],
    ['method', 7],
    ['credentials', ['ann']],
    ['credentials', 'ann:pw'],
    ['credentials', ['ann:x', 'pw']],
    ['headers', 'x'],
    ['format', 'xml'],
    ['compression', 'br'],
    ['maxBatchRecords', 0],
    ['maxBatchRecords', 1.5],
    ['maxBatchBytes', 0],
    ['flushIntervalMs', -1],
    ['maxConcurrentRequests', 0],
    ['maxConcurrentRequests', 2.5],
    ['maxConcurrentRequests', 257],
    ['timeoutMs', 0],
    ['maxBufferBytes', 0],
    ['overflow', 'drop-random'],
    ['maxRecordBytes', 0],
    ['maxRetries', -1],
    ['retryBaseDelayMs', 0],
    ['retryMaxDelayMs', 'x'],
    ['closeTimeoutMs', 10_000],
    ['closeTimeoutMs', 0],
    ['statsName', ''],
    ['tls', 'x'],
    ['ca', 5],
    ['ca', []],
  ]
  for (const [key, value] of bad) rejects(t, { url, [key]: value }, key)
})

t.test('cross-option rules', async (t) => {
  rejects(t, { url, maxBufferBytes: 100, maxRecordBytes: 200 }, 'maxRecordBytes', /at most maxBufferBytes/)
  t.equal(resolveOptions({ url, maxBufferBytes: 100 }).maxRecordBytes, 100, 'maxRecordBytes defaults within the buffer')
  rejects(t, { url, retryBaseDelayMs: 1000, retryMaxDelayMs: 500 }, 'retryMaxDelayMs')
  t.equal(resolveOptions({ url, retryBaseDelayMs: 60_000 }).retryMaxDelayMs, 60_000)
  t.equal(resolveOptions({ url, maxRetries: 0 }).maxRetries, 0)
})

t.test('headers: names checked, values never echoed, reserved ones refused', async (t) => {
  t.same(resolveOptions({ url, headers: { 'X-Api-Key': 'k1', Authorization: 'Bearer abc' } }).headers, {
    'x-api-key': 'k1',
    authorization: 'Bearer abc',
  })
  rejects(t, { url, headers: { 'Bad Name': 'x' } }, 'headers.Bad Name', /header name/)
  rejects(t, { url, headers: { 'X-A': 'a\r\nInjected: 1' } }, 'headers.X-A', /CR, LF/)
  rejects(t, { url, headers: { 'X-A': 5 } }, 'headers.X-A')
  rejects(t, { url, headers: { 'Content-Length': '5' } }, 'headers.Content-Length', /set by the transport/)
  rejects(t, { url, headers: { 'content-encoding': 'br' } }, 'headers.content-encoding')
  rejects(t, { url, headers: { Host: 'x' } }, 'headers.Host')
  rejects(
    t,
    { url, credentials: ['a', 'b'], headers: { Authorization: 'Bearer x' } },
    'headers.Authorization',
    /not both/,
  )
  try {
    resolveOptions({ url, headers: { Authorization: 'Bearer s3cr3t-token\n' } })
  } catch (err) {
    t.notMatch((err as Error).message, /s3cr3t/)
  }
})

t.test('tls: plain-data connect options, ca folded in', async (t) => {
  t.same(resolveOptions({ url, ca: 'PEM' }).tls, { ca: 'PEM' })
  t.same(resolveOptions({ url, tls: { ca: ['A', 'B'], servername: 'logs', rejectUnauthorized: true } }).tls, {
    ca: ['A', 'B'],
    servername: 'logs',
    rejectUnauthorized: true,
  })
  t.same(resolveOptions({ url, tls: {} }).tls, undefined)
  rejects(t, { url, tls: { ca: 'A' }, ca: 'B' }, 'ca', /once/)
  rejects(t, { url, tls: { rejectUnauthorized: 'no' } }, 'tls.rejectUnauthorized')
  rejects(t, { url, tls: { passphrase: 5 } }, 'tls.passphrase')
  rejects(t, { url, tls: { cert: [1] } }, 'tls.cert')
  rejects(t, { url, tls: { checkServerIdentity: 'x' } }, 'tls.checkServerIdentity', /unknown option/)
})

t.test('unknown keys are rejected with a suggestion; non-objects too', async (t) => {
  rejects(t, { url, maxBatchRecord: 5 }, 'maxBatchRecord', /did you mean (http_handler\.)?maxBatchRecords/)
  rejects(t, { url, async: true }, 'async', /unknown option/)
  for (const [prefix, option] of [
    ['', 'options'],
    ['http_handler', 'http_handler'],
  ]) {
    try {
      resolveOptions('x', prefix)
      t.fail('accepted')
    } catch (err) {
      t.equal((err as ConfigError).option, option)
    }
  }
})
