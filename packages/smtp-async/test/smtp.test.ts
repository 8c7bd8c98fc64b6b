// Against a real SMTP server (smtp-server on 127.0.0.1, mailparser reading what arrived): plain,
// STARTTLS, implicit TLS on 465, AUTH, certificate checks, storms, header injection, 4xx/5xx,
// hung servers and close. The transport runs in-process (createSmtpAsync) with its stderr
// captured through the writeDiagnostic seam.
import { once } from 'node:events'
import { type DeliveryStats, FLUSHED_EVENT, type FlushReply, flushMarker, STATS_EVENT } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { makeTestCerts } from '../../../test/helpers/certs.ts'
import { type SmtpSink, type SmtpSinkOptions, startSmtpSink } from '../../../test/helpers/smtp-sink.ts'
import { createSmtpAsync, type SmtpAsyncStream } from '../src/transport.ts'

const FROM = 'alerts@app.test'
const TO = ['oncall@app.test', 'dev@app.test']
const certs = makeTestCerts()

const line = (fields: Record<string, unknown>) =>
  `${JSON.stringify({ level: 50, time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 1, hostname: 'box', name: 'app', ...fields })}\n`

interface Harness {
  readonly stream: SmtpAsyncStream
  readonly diagnostics: string[]
  readonly stats: DeliveryStats[]
  /** Ends the stream and waits for 'close' (bounded). */
  close(): Promise<void>
  /** Resolves once the engine's counters satisfy `pred` (checked on every stats event; bounded). */
  until(pred: (s: DeliveryStats) => boolean, boundMs?: number): Promise<DeliveryStats>
}

async function transport(sink: SmtpSink | number, options: Record<string, unknown> = {}): Promise<Harness> {
  const port = typeof sink === 'number' ? sink : sink.port
  const diagnostics: string[] = []
  const stats: DeliveryStats[] = []
  const stream = await createSmtpAsync(
    { mailhost: ['127.0.0.1', port], fromaddr: FROM, toaddrs: TO, retryBaseDelayMs: 10, timeout: 5, ...options },
    { writeDiagnostic: (l) => diagnostics.push(l), random: () => 0.5, statsIntervalMs: 5 },
  )
  stream.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  let closed: Promise<void> | undefined
  return {
    stream,
    diagnostics,
    stats,
    close() {
      closed ??= (async () => {
        const bound = setTimeout(() => stream.destroy(new Error('transport did not close in time')), 15_000)
        const done = once(stream, 'close')
        stream.end()
        await done
        clearTimeout(bound)
      })()
      return closed
    },
    until(pred, boundMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const s = stream.engine.counters.snapshot()
          if (!pred(s)) return
          stream.off(STATS_EVENT, check)
          clearTimeout(timer)
          resolve(s)
        }
        const timer = setTimeout(() => {
          stream.off(STATS_EVENT, check)
          reject(new Error(`counters never matched: ${JSON.stringify(stream.engine.counters.snapshot())}`))
        }, boundMs)
        stream.on(STATS_EVENT, check)
        check()
      })
    },
  }
}

async function sinkFor(t: Test, opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const sink = await startSmtpSink(opts)
  t.teardown(() => sink.close())
  return sink
}

function attachment(mail: SmtpSink['messages'][number]): string {
  const file = mail.attachments.find((a) => a.filename === 'records.ndjson')
  return file ? file.content.toString('utf8') : ''
}

t.test('plain: from, to, subject, readable text and the raw records attached', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink)
  const record = line({
    msg: 'db down',
    err: { type: 'Error', message: 'db down', stack: 'Error: db down\n    at query (db.js:1:1)' },
    reqId: 7,
  })
  h.stream.write(line({ level: 30, msg: 'below the level' }))
  h.stream.write(record)
  const [mail] = await sink.waitForMessages(1)
  await h.close()
  t.equal(mail?.from?.text, FROM)
  t.same(
    (Array.isArray(mail?.to) ? mail.to : [mail?.to]).flatMap((a) => a?.value.map((v) => v.address)),
    TO,
  )
  t.equal(mail?.subject, '[error] db down')
  t.match(mail?.text, /1 record:/)
  t.match(mail?.text, /\[2026-01-02T03:04:05\.000Z\] ERROR db down/)
  t.match(mail?.text, /at query \(db\.js:1:1\)/)
  t.match(mail?.text, /"reqId":7/)
  t.equal(mail && attachment(mail), record, 'the pino line, byte for byte')
  t.equal(mail?.attachments[0]?.contentType, 'application/x-ndjson')
  t.same(h.stream.engine.counters.snapshot(), {
    destination: 'smtp-async',
    received: 1,
    delivered: 1,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
  t.same(h.stats.at(-1), h.stream.engine.counters.snapshot(), 'stats published on close')
  t.same(h.diagnostics, [])
})

t.test('STARTTLS required (secure: true), server cert verified against the test CA given as `ca`', async (t) => {
  const sink = await sinkFor(t, { starttls: true, key: certs.serverKey, cert: certs.serverCert })
  const h = await transport(sink, { secure: true, ca: certs.caCert })
  h.stream.write(line({ msg: 'over tls' }))
  const [mail] = await sink.waitForMessages(1)
  await h.close()
  t.equal(mail?.subject, '[error] over tls')
  t.equal(h.stream.engine.counters.delivered, 1)
})

t.test('secure: true against a server without STARTTLS: not sent in clear, dropped', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { secure: true, ca: certs.caCert })
  h.stream.write(line({ msg: 'must not go in clear' }))
  await h.until((s) => s.received === 1 && s.buffered === 0)
  await h.close()
  t.equal(sink.messages.length, 0)
  t.equal(h.stream.engine.counters.delivered, 0)
  t.equal(h.stream.engine.counters.droppedTotal, 1)
  t.match(Object.keys(h.stream.engine.counters.snapshot().dropped), [/^smtp-5\d\d$/], 'the refused STARTTLS')
})

// Port 465 is privileged: binding it needs root. CI runs as root, so the implicit-TLS cases
// run there; without root (a contributor's machine) they are skipped with this message.
const NO_ROOT = process.getuid?.() === 0 ? false : 'binding port 465 (implicit TLS) needs root; CI runs it as root'

/** Binds 127.0.0.1:465 (root only, see NO_ROOT); another test process may hold it for a moment. */
async function sinkOn465(t: Test, opts: SmtpSinkOptions): Promise<SmtpSink> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sinkFor(t, { ...opts, port: 465 })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 100) throw err
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

t.test('implicit TLS: port 465 means TLS from the first byte', { skip: NO_ROOT }, async (t) => {
  const sink = await sinkOn465(t, { secure: true, key: certs.serverKey, cert: certs.serverCert })
  const h = await transport(465, { mailhost: '127.0.0.1:465', ca: certs.caCert })
  t.equal(sink.port, 465)
  h.stream.write(line({ msg: 'smtps' }))
  const [mail] = await sink.waitForMessages(1)
  await h.close()
  t.equal(mail?.subject, '[error] smtps')
  t.equal(h.stream.engine.counters.delivered, 1)
})

t.test('self-signed server certificate without `ca`: rejected, dropped as tls', async (t) => {
  for (const mode of ['starttls', 'implicit'] as const) {
    if (mode === 'implicit' && NO_ROOT) {
      t.skip(`${mode}: ${NO_ROOT}`, () => {})
      continue
    }
    const sink =
      mode === 'starttls'
        ? await sinkFor(t, { starttls: true, key: certs.selfSignedKey, cert: certs.selfSignedCert })
        : await sinkOn465(t, { secure: true, key: certs.selfSignedKey, cert: certs.selfSignedCert })
    const h = await transport(sink, mode === 'starttls' ? { secure: true } : { mailhost: '127.0.0.1:465' })
    h.stream.write(line({ msg: 'to an untrusted server' }))
    await h.until((s) => s.received === 1 && s.buffered === 0)
    await h.close()
    await sink.close()
    t.equal(sink.messages.length, 0, mode)
    t.same(h.stream.engine.counters.snapshot().dropped, { tls: 1 }, `${mode}: dropped as tls`)
    t.equal(h.stream.engine.counters.retried, 0, `${mode}: not retried`)
    t.match(h.diagnostics.join('\n'), /\(tls, 1 attempt\)/)
  }
})

t.test('AUTH: the right credentials are accepted', async (t) => {
  const sink = await sinkFor(t, { auth: { user: 'robot', pass: 'pw-Secret-123' } })
  const h = await transport(sink, { credentials: ['robot', 'pw-Secret-123'] })
  h.stream.write(line({ msg: 'authenticated' }))
  await sink.waitForMessages(1)
  await h.close()
  t.same(
    sink.authAttempts.map((a) => [a.username, a.ok]),
    [['robot', true]],
  )
  t.equal(h.stream.engine.counters.delivered, 1)
})

t.test('AUTH failure: 535 counted as dropped, not retried, the password never printed, nothing thrown', async (t) => {
  const sink = await sinkFor(t, { auth: { user: 'robot', pass: 'pw-Secret-123' } })
  const password = 'wrong-Secret-987'
  const h = await transport(sink, { credentials: ['robot', password] })
  const errors: unknown[] = []
  h.stream.on('error', (err) => errors.push(err))
  h.stream.write(line({ msg: 'never arrives' }))
  await h.until((s) => s.received === 1 && s.buffered === 0)
  await h.close()
  t.equal(sink.messages.length, 0)
  t.same(h.stream.engine.counters.snapshot().dropped, { 'smtp-535': 1 })
  t.equal(h.stream.engine.counters.retried, 0)
  t.equal(sink.authAttempts.length, 1, 'one attempt: 5xx is final')
  t.ok(h.diagnostics.length > 0, 'reported on stderr')
  t.match(h.diagnostics.join('\n'), /smtp-535/)
  t.notMatch(h.diagnostics.join('\n'), password)
  t.notMatch(JSON.stringify(h.stats), password)
  // Nor in the encoded forms AUTH PLAIN / LOGIN put on the wire.
  for (const encoded of [`\0robot\0${password}`, password].map((v) => Buffer.from(v).toString('base64'))) {
    t.notMatch(h.diagnostics.join('\n'), encoded)
  }
  t.same(errors, [])
})

t.test('a storm of 1000 errors within a second: at most 3 mails, every record accounted for', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { groupIntervalMs: 600 })
  const started = Date.now()
  // Ten bursts of 100, 70 ms apart: about 630 ms of storm (a loaded machine stretches the gaps,
  // hence the margin under the second). Mails leave at 0, ~600 and ~1200 ms.
  for (let burst = 0; burst < 10; burst++) {
    for (let i = 0; i < 100; i++)
      h.stream.write(line({ msg: i % 10 === 0 ? 'cache miss' : 'db timeout', i: burst * 100 + i }))
    if (burst < 9) await new Promise((resolve) => setTimeout(resolve, 70))
  }
  const stormMs = Date.now() - started
  t.ok(stormMs < 1000, `the storm lasted under a second (${stormMs} ms)`)
  const final = await h.until((s) => s.delivered === 1000)
  await h.close()
  t.ok(sink.messages.length <= 3, `${sink.messages.length} mails`)
  t.ok(sink.messages.length >= 2, 'the first at once, then digests')
  t.same(final, { destination: 'smtp-async', received: 1000, delivered: 1000, dropped: {}, retried: 0, buffered: 0 })
  t.equal(sink.messages[0] && attachment(sink.messages[0]).split('\n').filter(Boolean).length, 1, 'the first alone')
  const listed: number[] = []
  let counted = 0
  for (const mail of sink.messages) {
    const lines = attachment(mail).split('\n').filter(Boolean)
    t.ok(lines.length <= 100, 'maxRecordsPerEmail')
    listed.push(...lines.map((l) => (JSON.parse(l) as { i: number }).i))
    const more = /\.\.\. and ([\d,]+) more, /.exec(mail.text ?? '')
    if (more) counted += Number(more[1]?.replace(/,/g, ''))
    const total = lines.length + (more ? Number(more[1]?.replace(/,/g, '')) : 0)
    if (total > 1) t.match(mail.subject, `(+${total - 1} more)`, 'the subject says it is a digest')
  }
  t.equal(listed.length + counted, 1000, 'listed + counted = 1000')
  t.equal(new Set(listed).size, listed.length, 'no record listed twice')
  t.ok(
    sink.messages.some((m) => /of them 'db timeout'/.test(m.text ?? '')),
    'the records past maxRecordsPerEmail summarised by message',
  )
})

t.test('subject injection: CR/LF in msg and name never add a header', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { subject: '[{level}] {name}: {msg} on {hostname}' })
  h.stream.write(
    line({
      msg: 'boom\r\nBcc: x@y\r\n\r\nbody injected',
      name: 'app\nBcc: victim@evil.test',
      hostname: 'box\rX-Injected: 1',
    }),
  )
  const [mail] = await sink.waitForMessages(1)
  await h.close()
  t.ok(mail)
  if (!mail) return
  t.notOk(mail.headers.has('bcc'), 'no Bcc header')
  t.equal(mail.bcc, undefined)
  t.notOk(mail.headers.has('x-injected'))
  t.equal(mail.subject, '[error] app Bcc: victim@evil.test: boom Bcc: x@y body injected on box X-Injected: 1')
  t.notMatch(mail.subject ?? '', /[\r\n]/)
  const headerNames = mail.headerLines.map((h) => h.key).sort()
  t.same(
    headerNames.filter((k) => !['content-type', 'message-id', 'date', 'mime-version'].includes(k)),
    ['from', 'subject', 'to'],
    'only the headers we set',
  )
})

t.test('421 then success: retried once, delivered', async (t) => {
  const sink = await sinkFor(t, { script: [421] })
  const h = await transport(sink)
  h.stream.write(line({ msg: 'try later' }))
  await sink.waitForMessages(1)
  await h.close()
  t.equal(sink.dataCount, 2)
  t.same(h.stream.engine.counters.snapshot(), {
    destination: 'smtp-async',
    received: 1,
    delivered: 1,
    dropped: {},
    retried: 1,
    buffered: 0,
  })
})

t.test('connection dropped after DATA: retried, delivered', async (t) => {
  const sink = await sinkFor(t, { script: ['drop'] })
  const h = await transport(sink)
  h.stream.write(line({ msg: 'dropped once' }))
  await sink.waitForMessages(1)
  await h.close()
  t.equal(sink.dataCount, 2)
  t.equal(h.stream.engine.counters.retried, 1)
  t.equal(h.stream.engine.counters.delivered, 1)
})

t.test('550: not retried, dropped as smtp-550', async (t) => {
  const sink = await sinkFor(t, { script: [550] })
  const h = await transport(sink)
  h.stream.write(line({ msg: 'no such user' }))
  await h.until((s) => s.received === 1 && s.buffered === 0)
  await h.close()
  t.equal(sink.dataCount, 1, 'one attempt')
  t.equal(sink.messages.length, 0)
  t.same(h.stream.engine.counters.snapshot(), {
    destination: 'smtp-async',
    received: 1,
    delivered: 0,
    dropped: { 'smtp-550': 1 },
    retried: 0,
    buffered: 0,
  })
  t.match(h.diagnostics.join('\n'), /smtp-550, 1 attempt/)
})

t.test('a server that never answers: timeout, retried, then dropped', async (t) => {
  const sink = await sinkFor(t, { script: ['hang', 'hang'] })
  const h = await transport(sink, { timeout: 0.3, maxRetries: 1 })
  h.stream.write(line({ msg: 'into the void' }))
  await h.until((s) => s.received === 1 && s.buffered === 0)
  await h.close()
  t.equal(sink.dataCount, 2, 'two attempts')
  t.equal(sink.messages.length, 0)
  t.same(h.stream.engine.counters.snapshot().dropped, { connection: 1 })
  t.equal(h.stream.engine.counters.retried, 1)
  t.match(h.diagnostics.join('\n'), /connection, 2 attempts/)
})

t.test('close sends the pending digest before it resolves', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { groupIntervalMs: 3_600_000 })
  h.stream.write(line({ msg: 'first' }))
  await sink.waitForMessages(1)
  h.stream.write(line({ msg: 'second' }))
  h.stream.write(line({ msg: 'third' }))
  await h.until((s) => s.received === 3 && s.delivered === 1)
  t.equal(sink.messages.length, 1, 'the digest waits for its interval')
  t.equal(h.stream.engine.counters.buffered, 2, 'held for the digest')
  await h.close()
  t.equal(sink.messages.length, 2, 'sent by close')
  t.equal(sink.messages[1]?.subject, '[error] second (+1 more)')
  t.equal(sink.messages[1] && attachment(sink.messages[1]), line({ msg: 'second' }) + line({ msg: 'third' }))
  t.same(h.stats.at(-1), {
    destination: 'smtp-async',
    received: 3,
    delivered: 3,
    dropped: {},
    retried: 0,
    buffered: 0,
  })
})

t.test('server down: close cuts the retry backoff short, one last attempt, dropped as connection', async (t) => {
  const down = await startSmtpSink()
  await down.close()
  const h = await transport(down.port, { retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 })
  h.stream.write(line({ msg: 'nobody listens' }))
  await h.until((s) => s.retried === 1)
  const started = Date.now()
  await h.close()
  t.ok(Date.now() - started < 2000, 'close did not wait for the backoff')
  t.same(h.stream.engine.counters.snapshot(), {
    destination: 'smtp-async',
    received: 1,
    delivered: 0,
    dropped: { connection: 1 },
    retried: 1,
    buffered: 0,
  })
  t.match(h.diagnostics.join('\n'), /connection, 2 attempts/)
})

t.test('a hung server at close: given up at closeTimeoutMs, counted as close-timeout, reported', async (t) => {
  const sink = await sinkFor(t, { script: ['hang'] })
  const h = await transport(sink, { timeout: 30, closeTimeoutMs: 300 })
  h.stream.write(line({ msg: 'stuck' }))
  await sink.waitForData(1)
  const started = Date.now()
  await h.close()
  const took = Date.now() - started
  t.ok(took >= 250 && took < 3000, `close took ${took} ms`)
  t.same(h.stream.engine.counters.snapshot().dropped, { 'close-timeout': 1 })
  t.equal(h.stream.engine.counters.buffered, 0)
  t.match(h.diagnostics.join('\n'), /1 record\(s\) not mailed within closeTimeoutMs \(300 ms\)/)
})

t.test('non-ASCII and long messages: the subject arrives intact, cut at 200 characters', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { groupIntervalMs: 0 })
  h.stream.write(line({ msg: 'Zahlung fehlgeschlagen: Müller ☃ 日本語' }))
  await sink.waitForMessages(1)
  h.stream.write(line({ msg: 'x'.repeat(500) }))
  await sink.waitForMessages(2)
  await h.close()
  t.equal(sink.messages[0]?.subject, '[error] Zahlung fehlgeschlagen: Müller ☃ 日本語')
  t.match(sink.messages[0]?.text, /Müller ☃ 日本語/)
  t.equal(sink.messages[1]?.subject, `[error] ${'x'.repeat(189)}...`)
  t.equal(sink.messages[1]?.subject?.length, 200)
})

t.test('await stream.flush(): the pending digest has arrived at the server when it resolves', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { groupIntervalMs: 3_600_000, closeTimeoutMs: 500 })
  h.stream.write(line({ msg: 'first' }))
  h.stream.write(line({ msg: 'second' }))
  h.stream.write(line({ msg: 'third' }))
  const outcome = await h.stream.flush()
  t.same(
    sink.messages.map((m) => m.subject),
    ['[error] first', '[error] second (+1 more)'],
    'the digest did not wait for its interval',
  )
  t.same(outcome, {
    complete: true,
    stats: { destination: 'smtp-async', received: 3, delivered: 3, dropped: {}, retried: 0, buffered: 0 },
  })
  await h.close()
})

t.test("flush(cb), pino's logger.flush form: called back once the mail arrived", async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { groupIntervalMs: 3_600_000, closeTimeoutMs: 500 })
  h.stream.write(line({ msg: 'first' }))
  h.stream.write(line({ msg: 'second' }))
  const arrived = await new Promise<number>((resolve) => {
    void h.stream.flush(() => resolve(sink.messages.length))
  })
  t.equal(arrived, 2)
  await h.close()
})

t.test(
  'flush({ timeoutMs }) against a hung server: complete false at the deadline, the record still buffered',
  async (t) => {
    const sink = await sinkFor(t, { script: ['hang'] })
    const h = await transport(sink, { timeout: 30, closeTimeoutMs: 500 })
    h.stream.write(line({ msg: 'stuck' }))
    await sink.waitForData(1)
    const outcome = await h.stream.flush({ timeoutMs: 200 })
    t.match(outcome, { complete: false, stats: { received: 1, delivered: 0, buffered: 1 } })
    await h.close()
  },
)

t.test(
  'flush after end(): complete once the pending digest is mailed; once closed, the final counts at once',
  async (t) => {
    const sink = await sinkFor(t)
    const h = await transport(sink, { groupIntervalMs: 3_600_000, closeTimeoutMs: 500 })
    h.stream.write(line({ msg: 'first' }))
    h.stream.write(line({ msg: 'second' }))
    const closed = once(h.stream, 'close')
    h.stream.end()
    const final = { destination: 'smtp-async', received: 2, delivered: 2, dropped: {}, retried: 0, buffered: 0 }
    const during = await h.stream.flush({ timeoutMs: 200 })
    t.same(during, { complete: true, stats: final }, 'while closing')
    t.equal(sink.messages.length, 2)
    await closed
    t.same(await h.stream.flush({ timeoutMs: 200 }), { complete: true, stats: final }, 'once closed')
  },
)

t.test('a flush whose marker was still queued when the stream was destroyed resolves', async (t) => {
  const sink = await sinkFor(t)
  const h = await transport(sink, { closeTimeoutMs: 500 })
  h.stream.cork()
  const flushed = h.stream.flush()
  h.stream.destroy()
  t.same(await flushed, {
    complete: true,
    stats: { destination: 'smtp-async', received: 0, delivered: 0, dropped: {}, retried: 0, buffered: 0 },
  })
})

t.test(
  "the main thread's flush marker: the digest mailed, FLUSHED_EVENT emitted, the marker neither counted nor mailed",
  async (t) => {
    const sink = await sinkFor(t)
    const h = await transport(sink, { groupIntervalMs: 3_600_000, closeTimeoutMs: 500 })
    const replies: FlushReply[] = []
    h.stream.on(FLUSHED_EVENT, (reply: FlushReply) => replies.push(reply))
    h.stream.write(line({ msg: 'first' }))
    h.stream.write(line({ msg: 'second' }))
    const answered = once(h.stream, FLUSHED_EVENT)
    h.stream.write(flushMarker(7, 200))
    await answered
    t.equal(sink.messages.length, 2, 'the digest had arrived')
    await h.close()
    t.same(replies, [
      {
        id: 7,
        complete: true,
        stats: { destination: 'smtp-async', received: 2, delivered: 2, dropped: {}, retried: 0, buffered: 0 },
      },
    ])
    t.notOk(
      sink.messages.some((m) => /pinoAdvancedFlush/.test(attachment(m) + (m.text ?? ''))),
      'no mail carries the marker',
    )
  },
)
