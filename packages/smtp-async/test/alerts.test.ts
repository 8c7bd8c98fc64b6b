import { EventEmitter } from 'node:events'
import { createDiagnostics, type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import t from 'tap'
import { fakeScheduler } from '../../../test/helpers/fake-scheduler.ts'
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
  const { scheduler, advance } = fakeScheduler()
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
    scheduler,
    diagnostics: createDiagnostics({ source: 'smtp', secrets: ['hunter22'], write: (l) => diagnostics.push(l) }),
    stats: stream,
    random: () => 0.5,
    statsIntervalMs: 1,
  })
  return { engine, advance, published, diagnostics }
}

const flush = () => new Promise((r) => setImmediate(r))

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
  t.match(diagnostics.at(-1), 'closing: 2 record(s) not mailed within closeTimeoutMs (30 ms)')
  m.release()
  await flush()
  t.equal(engine.counters.delivered, 0, 'a send that finishes after the deadline changes nothing')
})

t.test('a failure while closing is not retried', async (t) => {
  const m = scriptedMailer([{ ok: false, retryable: true, reason: 'connection', message: 'down' }])
  const { engine } = setup({}, m.mailer)
  engine.push(record(50, 'a'))
  engine.push(record(50, 'b'))
  await engine.close()
  t.match(engine.counters.snapshot(), { delivered: 1, dropped: { connection: 1 }, buffered: 0 })
})
