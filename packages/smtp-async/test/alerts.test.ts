import { EventEmitter } from 'node:events'
import { createDiagnostics, type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import t from 'tap'
import { FakeClock } from '../../../test/helpers/fake-clock.ts'
import { AlertEngine, Reasons } from '../src/alerts.ts'
import type { MailContent } from '../src/format.ts'
import type { Mailer } from '../src/mailer.ts'
import { resolveOptions } from '../src/options.ts'
import type { SendOutcome } from '../src/outcome.ts'

const record = (level: number, msg: string) => `${JSON.stringify({ level, time: 1, msg, name: 'app' })}\n`

/** A mailer answering from a script (then ok), each answer when the test releases it. */
function scriptedMailer(script: SendOutcome[] = [], opts: { hold?: boolean } = {}) {
  const sent: MailContent[] = []
  const waiting: (() => void)[] = []
  let closed = false
  let released = 0
  const mailer: Mailer = {
    send(mail) {
      sent.push(mail)
      const outcome = script.shift() ?? { ok: true }
      if (!opts.hold) return Promise.resolve(outcome)
      return new Promise((resolve) => waiting.push(() => resolve(outcome)))
    },
    release() {
      released++
    },
    close() {
      closed = true
    },
  }
  return { mailer, sent, release: () => waiting.shift()?.(), isClosed: () => closed, released: () => released }
}

function setup(options: Record<string, unknown>, mailer: Mailer) {
  const clock = new FakeClock()
  const stream = new EventEmitter()
  const published: DeliveryStats[] = []
  stream.on(STATS_EVENT, (s: DeliveryStats) => published.push(s))
  const diagnostics: string[] = []
  const resolved = resolveOptions({
    mailhost: 'localhost',
    fromaddr: 'a@x.test',
    toaddrs: 'b@x.test',
    credentials: ['user', 'hunter22'],
    ...options,
  })
  const engine = new AlertEngine(resolved, {
    mailer,
    clock: clock,
    diagnostics: createDiagnostics({ source: 'smtp', secrets: ['hunter22'], write: (l) => diagnostics.push(l) }),
    stats: stream,
    random: () => 0.5,
    statsIntervalMs: 1,
  })
  return { engine, advance: (ms: number) => clock.advanceSync(ms), published, diagnostics }
}

const flush = () => new Promise((r) => setImmediate(r))

/** What `promise` came to within one turn of the event loop, or 'waiting'. */
const settledNow = <T>(promise: Promise<T>) => Promise.race([promise, flush().then(() => 'waiting' as const)])

const counts = (fields: Partial<DeliveryStats>): DeliveryStats => ({
  destination: 'smtp-async',
  received: 0,
  delivered: 0,
  dropped: {},
  retried: 0,
  buffered: 0,
  ...fields,
})

t.test('records below level are not this destination’s; the rest are mailed and counted', async (t) => {
  const m = scriptedMailer()
  const { engine, advance } = setup({ groupIntervalMs: 1000 }, m.mailer)
  engine.push(record(30, 'info'))
  engine.push('no level at all')
  engine.push(record(50, 'first'))
  engine.push(record(60, 'second'))
  engine.push(record(50, 'third'))
  await flush()
  t.equal(m.sent.length, 1)
  t.match(m.sent[0]?.subject, '[error] first')
  t.equal(m.released(), 1, 'nothing left to send: the pool is let go (an idle socket holds the process open)')
  advance(1000)
  await flush()
  t.equal(m.sent.length, 2)
  t.equal(m.released(), 2)
  t.match(m.sent[1]?.subject, '[fatal] second (+1 more)')
  t.match(engine.counters.snapshot(), { received: 3, delivered: 3, buffered: 0, retried: 0 })
  await engine.close()
  t.ok(m.isClosed())
})

t.test('4xx and connection failures are retried with backoff, then delivered', async (t) => {
  const m = scriptedMailer([
    { ok: false, retryable: true, reason: 'smtp-421', message: '421 busy' },
    { ok: false, retryable: true, reason: 'connection', message: 'ECONNRESET' },
  ])
  const { engine, advance } = setup({ retryBaseDelayMs: 100 }, m.mailer)
  engine.push(record(50, 'boom'))
  await flush()
  t.equal(m.sent.length, 1)
  t.equal(engine.counters.buffered, 1, 'held while retrying')
  advance(50) // attempt 0: random 0.5 of 100 ms
  await flush()
  t.equal(m.sent.length, 2)
  advance(100) // attempt 1: 0.5 of 200 ms
  await flush()
  t.equal(m.sent.length, 3)
  t.match(engine.counters.snapshot(), { received: 1, delivered: 1, retried: 2, buffered: 0 })
})

t.test('5xx replies are final: dropped, counted by reply, reported without the password', async (t) => {
  const m = scriptedMailer([{ ok: false, retryable: false, reason: 'smtp-535', message: 'auth failed for hunter22' }])
  const { engine, diagnostics } = setup({}, m.mailer)
  engine.push(record(50, 'boom'))
  await flush()
  t.equal(m.sent.length, 1, 'one attempt only')
  t.match(engine.counters.snapshot(), { received: 1, delivered: 0, dropped: { 'smtp-535': 1 }, buffered: 0 })
  t.equal(diagnostics.length, 1)
  t.match(diagnostics[0], 'a mail of 1 record(s) was not sent (smtp-535, 1 attempt)')
  t.notMatch(diagnostics[0], 'hunter22')
})

t.test('retries stop at maxRetries; the mail is dropped and counted', async (t) => {
  const busy: SendOutcome = { ok: false, retryable: true, reason: 'smtp-451', message: 'later' }
  const m = scriptedMailer([busy, busy, busy])
  const { engine, advance, diagnostics } = setup({ maxRetries: 2, retryBaseDelayMs: 10 }, m.mailer)
  engine.push(record(50, 'boom'))
  for (let i = 0; i < 5; i++) {
    await flush()
    advance(1000)
  }
  t.equal(m.sent.length, 3)
  t.match(engine.counters.snapshot(), { dropped: { 'smtp-451': 1 }, retried: 2, buffered: 0 })
  t.match(diagnostics[0], '3 attempts')
})

t.test('close mails the pending digest at once, whatever the interval', async (t) => {
  const m = scriptedMailer()
  const { engine, published } = setup({}, m.mailer)
  engine.push(record(50, 'first'))
  engine.push(record(50, 'second'))
  engine.push(record(50, 'third'))
  await flush()
  t.equal(m.sent.length, 1)
  await engine.close()
  t.equal(m.sent.length, 2)
  t.match(m.sent[1]?.subject, '(+1 more)')
  t.match(published.at(-1), { received: 3, delivered: 3, buffered: 0 }, 'final counts published')
  engine.push(record(50, 'late'))
  t.match(engine.counters.snapshot(), { received: 4, dropped: { [Reasons.CLOSED]: 1 } })
})

t.test('close cuts a backoff short for one last attempt', async (t) => {
  const m = scriptedMailer([{ ok: false, retryable: true, reason: 'smtp-421', message: 'busy' }])
  const { engine } = setup({ retryBaseDelayMs: 60_000 }, m.mailer)
  engine.push(record(50, 'boom'))
  await flush()
  await engine.close()
  t.equal(m.sent.length, 2)
  t.match(engine.counters.snapshot(), { delivered: 1, retried: 1 })
})

t.test('close gives up at closeTimeoutMs: what is unsent is dropped, counted and reported', async (t) => {
  const m = scriptedMailer([], { hold: true })
  const { engine, diagnostics } = setup({ closeTimeoutMs: 30 }, m.mailer)
  engine.push(record(50, 'stuck'))
  engine.push(record(50, 'pending'))
  await flush()
  const alive = setInterval(() => {}, 1000)
  await engine.close()
  clearInterval(alive)
  t.match(engine.counters.snapshot(), {
    received: 2,
    delivered: 0,
    dropped: { [Reasons.CLOSE_TIMEOUT]: 2 },
    buffered: 0,
  })
  t.same(
    diagnostics,
    [
      'smtp: closing: 2 record(s) not mailed within closeTimeoutMs (30 ms)\n',
      'smtp: closed: 2 records received, 0 mailed, 2 not mailed (close-timeout: 2)\n',
    ],
    'the close-timeout line, then the close summary',
  )
  m.release()
  await flush()
  t.equal(engine.counters.delivered, 0, 'a send that finishes after the deadline changes nothing')
  m.release()
  await flush()
  t.equal(m.sent.length, 1, 'the mail queued behind the stuck one is not handed to the closed mailer')
})

t.test('a failure while closing is not retried', async (t) => {
  const m = scriptedMailer([{ ok: false, retryable: true, reason: 'connection', message: 'down' }])
  const { engine } = setup({}, m.mailer)
  engine.push(record(50, 'a'))
  engine.push(record(50, 'b'))
  await engine.close()
  t.match(engine.counters.snapshot(), { delivered: 1, dropped: { connection: 1 }, buffered: 0 })
})

t.test(
  'flush mails the pending digest at once, whatever the interval and the hourly cap, and resolves once it is accepted',
  async (t) => {
    const m = scriptedMailer([], { hold: true })
    const { engine, published } = setup({ groupIntervalMs: 3_600_000, maxEmailsPerHour: 1 }, m.mailer)
    engine.push(record(50, 'first'))
    m.release()
    await flush()
    engine.push(record(50, 'second'))
    engine.push(record(50, 'third'))
    t.equal(m.sent.length, 1, 'the digest waits for its interval')
    const flushed = engine.flush()
    t.equal(m.sent.length, 2, 'flush sent it at once')
    t.match(m.sent[1]?.subject, '[error] second (+1 more)')
    t.equal(await settledNow(flushed), 'waiting', 'not resolved before the server accepted it')
    m.release()
    const outcome = await flushed
    t.same(outcome, { complete: true, stats: counts({ received: 3, delivered: 3 }) })
    t.same(published.at(-1), outcome.stats, 'the counts published at once')
  },
)

t.test('flush waits for the mails already queued, a retry keeping its backoff: complete once delivered', async (t) => {
  const m = scriptedMailer([{ ok: false, retryable: true, reason: 'smtp-421', message: '421 busy' }])
  const { engine, advance } = setup({ groupIntervalMs: 50, retryBaseDelayMs: 400, closeTimeoutMs: 500 }, m.mailer)
  engine.push(record(50, 'retried'))
  await flush()
  engine.push(record(50, 'queued behind'))
  advance(50) // the digest is queued behind the mail waiting for its backoff (0.5 of 400 ms)
  await flush()
  const flushed = engine.flush()
  advance(149)
  t.equal(await settledNow(flushed), 'waiting', 'the first mail is still waiting for its retry')
  t.equal(m.sent.length, 1, 'the retry keeps its backoff during a flush')
  advance(1)
  t.same(await flushed, { complete: true, stats: counts({ received: 2, delivered: 2, retried: 1 }) })
  t.equal(m.sent.length, 3, 'the retry, then the mail queued behind it')
})

t.test(
  'flush gives up at timeoutMs (default closeTimeoutMs): complete false, the records still buffered',
  async (t) => {
    const m = scriptedMailer([], { hold: true })
    const { engine, advance } = setup({ closeTimeoutMs: 500 }, m.mailer)
    engine.push(record(50, 'stuck'))
    const short = engine.flush(200)
    const byDefault = engine.flush()
    advance(199)
    t.equal(await settledNow(short), 'waiting')
    advance(1)
    t.same(await short, { complete: false, stats: counts({ received: 1, buffered: 1 }) })
    advance(299)
    t.equal(await settledNow(byDefault), 'waiting', 'the default deadline is closeTimeoutMs')
    advance(1)
    t.same(await byDefault, { complete: false, stats: counts({ received: 1, buffered: 1 }) })
    m.release()
    await flush()
    t.same(engine.counters.snapshot(), counts({ received: 1, delivered: 1 }), 'not lost: mailed once accepted')
  },
)

t.test('flush with nothing pending is complete at once, without a mail', async (t) => {
  const m = scriptedMailer()
  const { engine } = setup({}, m.mailer)
  t.same(await settledNow(engine.flush(200)), { complete: true, stats: counts({}) })
  engine.push(record(50, 'mailed'))
  await flush()
  t.same(await settledNow(engine.flush(200)), { complete: true, stats: counts({ received: 1, delivered: 1 }) })
  t.equal(m.sent.length, 1, 'no mail for an empty flush')
})

t.test('retried counts records: a mail of 5 records retried once adds 5', async (t) => {
  const m = scriptedMailer([{ ok: true }, { ok: false, retryable: true, reason: 'smtp-421', message: 'busy' }])
  const { engine, advance } = setup({ groupIntervalMs: 1000, retryBaseDelayMs: 100 }, m.mailer)
  engine.push(record(50, 'alone'))
  for (let i = 0; i < 5; i++) engine.push(record(50, `storm ${i}`))
  await flush()
  advance(1000) // the digest of 5 goes, and is answered 421
  await flush()
  t.equal(engine.counters.retried, 5)
  advance(50)
  await flush()
  t.same(engine.counters.snapshot(), counts({ received: 6, delivered: 6, retried: 5 }))
})

t.test('close prints one summary line when records were not mailed, whatever the rate limit', async (t) => {
  const refused = (reason: string): SendOutcome => ({ ok: false, retryable: false, reason, message: 'refused' })
  const m = scriptedMailer([refused('smtp-550'), refused('smtp-550'), refused('smtp-535')])
  const { engine, advance, diagnostics } = setup({ groupIntervalMs: 1000 }, m.mailer)
  for (const msg of ['a', 'b', 'c']) {
    engine.push(record(50, msg))
    await flush()
    advance(1000)
  }
  engine.push(record(50, 'mailed by close'))
  await engine.close()
  t.same(diagnostics, [
    'smtp: a mail of 1 record(s) was not sent (smtp-550, 1 attempt): refused\n',
    'smtp: a mail of 1 record(s) was not sent (smtp-535, 1 attempt): refused\n',
    'smtp: closed: 4 records received, 1 mailed, 3 not mailed (smtp-550: 2, smtp-535: 1)\n',
  ])
})

t.test('close prints no summary when every record was mailed', async (t) => {
  const m = scriptedMailer()
  const { engine, diagnostics } = setup({}, m.mailer)
  engine.push(record(50, 'a'))
  engine.push(record(50, 'b'))
  await engine.close()
  t.equal(engine.counters.delivered, 2)
  t.same(diagnostics, [])
})

t.test('close ends a flush still waiting; a flush after close answers at once with the final counts', async (t) => {
  const m = scriptedMailer([], { hold: true })
  const { engine } = setup({ closeTimeoutMs: 30 }, m.mailer)
  engine.push(record(50, 'stuck'))
  const waiting = engine.flush(200)
  await engine.close()
  const final = counts({ received: 1, dropped: { [Reasons.CLOSE_TIMEOUT]: 1 } })
  t.same(await settledNow(waiting), { complete: true, stats: final }, 'its record is counted dropped now')
  t.same(await settledNow(engine.flush(200)), { complete: true, stats: final })
})

t.test('a flush during close waits for the close to mail what it holds', async (t) => {
  const m = scriptedMailer([], { hold: true })
  const { engine } = setup({ closeTimeoutMs: 500 }, m.mailer)
  engine.push(record(50, 'held'))
  engine.push(record(50, 'pending'))
  const closed = engine.close()
  const flushed = engine.flush(200)
  t.equal(await settledNow(flushed), 'waiting')
  m.release()
  await flush()
  m.release()
  await closed
  t.same(await flushed, { complete: true, stats: counts({ received: 2, delivered: 2 }) })
})
