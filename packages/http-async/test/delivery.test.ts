import type { DeliveryStats, FlushOutcome } from '@pino-advanced/core'
import t from 'tap'
import { FakeClock, settle } from '../../../test/helpers/fake-clock.ts'
import { SYSTEM_CLOCK } from '../src/delivery/clock.ts'
import { DeliveryEngine, type DeliveryRules, type Send } from '../src/delivery/engine.ts'
import type { Backlog } from '../src/delivery/spool-port.ts'
import { DELIVERED, type RetryOutcome, type SendOutcome } from '../src/outcome.ts'

const rules: DeliveryRules = {
  maxBatchRecords: 3,
  maxBatchBytes: 1000,
  flushIntervalMs: 100,
  // One at a time unless a test says otherwise: the order of batches is then the order of records.
  maxConcurrentRequests: 1,
  maxBufferBytes: 10_000,
  maxRecordBytes: 1000,
  overflow: 'drop-oldest',
  maxRetries: undefined,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 5000,
  closeTimeoutMs: 500,
  statsName: 'test',
}

const retry = (extra: Partial<{ retryAfterMs: number }> = {}): RetryOutcome => ({
  kind: 'retry',
  reason: 'http-503',
  message: 'the endpoint answered 503',
  ...extra,
})

/** An engine whose sends are recorded and answered from `answers` (then delivered). */
function setup(over: Partial<DeliveryRules> = {}, answers: (SendOutcome | 'hang' | 'throw')[] = []) {
  const clock = new FakeClock(1_000_000)
  const batches: string[][] = []
  const lines: string[] = []
  const published: DeliveryStats[] = []
  const send: Send = (records, signal) => {
    batches.push([...records])
    const answer = answers.shift() ?? DELIVERED
    if (answer === 'throw') return Promise.reject(new Error('boom'))
    if (answer === 'hang') {
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(retry())))
    }
    return Promise.resolve(answer)
  }
  const engine = new DeliveryEngine(
    { ...rules, ...over },
    {
      send,
      stats: {
        emit: (_event, stats) => {
          published.push(stats as DeliveryStats)
          return true
        },
      },
      diagnostics: { report: (_k, m) => lines.push(m), always: (m) => lines.push(m) },
      target: 'POST http://sink/log',
      clock,
      random: () => 0.5,
      statsIntervalMs: 10,
    },
  )
  const identity = () => {
    const s = engine.stats()
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0)
    return s.received === s.delivered + dropped + s.buffered && s.buffered === engine.held
  }
  return { clock, engine, batches, lines, published, identity }
}

t.test('a full batch goes at once; a partial one flushIntervalMs after its first record', async (t) => {
  const { clock, engine, batches, identity } = setup()
  for (const r of ['a', 'b', 'c', 'd']) engine.push(r)
  await settle()
  t.same(batches, [['a', 'b', 'c']], 'maxBatchRecords reached: sent without waiting')
  await clock.advance(99)
  t.equal(batches.length, 1, 'd waits for its interval')
  await clock.advance(1)
  t.same(batches[1], ['d'], 'a lone record goes flushIntervalMs after it arrived')
  t.ok(identity())
  t.same(engine.stats(), { destination: 'test', received: 4, delivered: 4, dropped: {}, retried: 0, buffered: 0 })
})

t.test('maxBatchBytes cuts batches too', async (t) => {
  const { engine, batches } = setup({ maxBatchBytes: 4, maxBatchRecords: 100 })
  for (const r of ['aa', 'bb', 'cc']) engine.push(r)
  await settle()
  t.same(batches[0], ['aa', 'bb'])
})

t.test('flushIntervalMs 0 sends at once', async (t) => {
  const { engine, batches } = setup({ flushIntervalMs: 0 })
  engine.push('a')
  await settle()
  t.same(batches, [['a']])
})

t.test('one request in flight: what arrives meanwhile waits, then goes in order', async (t) => {
  const { clock, engine, batches, identity } = setup({}, ['hang'])
  for (const r of ['1', '2', '3', '4', '5', '6', '7']) engine.push(r)
  await settle()
  t.equal(batches.length, 1, 'the second full batch waits for the first')
  t.ok(identity())
  const closing = engine.close()
  await clock.advance(500)
  await closing
  t.same(batches, [['1', '2', '3']], 'the others never went: closeTimeoutMs ran out first')
})

t.test('retries with capped exponential backoff and full jitter, order kept', async (t) => {
  const { clock, engine, batches, lines, identity } = setup({ maxBatchRecords: 2, flushIntervalMs: 1000 }, [
    retry(),
    retry(),
    retry(),
  ])
  engine.push('a')
  engine.push('b')
  engine.push('c')
  await settle()
  t.same(batches, [['a', 'b']])
  // random() = 0.5: waits are half of min(5000, 100 * 2^n): 50, 100, 200.
  await clock.advance(49)
  t.equal(batches.length, 1)
  await clock.advance(1)
  t.equal(batches.length, 2)
  await clock.advance(100)
  t.equal(batches.length, 3)
  await clock.advance(200)
  t.equal(batches.length, 4)
  await clock.advance(1000)
  t.same(batches, [['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b'], ['c']], 'the failed batch goes again first')
  t.equal(engine.stats().retried, 6, 'records re-sent, summed over retries')
  t.equal(engine.stats().delivered, 3)
  t.match(lines[0], /POST http:\/\/sink\/log: the endpoint answered 503; retry 1 in 50 ms \(3 records waiting\)/)
  t.ok(identity())
})

t.test('Retry-After is honoured, and capped at retryMaxDelayMs', async (t) => {
  const { clock, engine, batches } = setup({ flushIntervalMs: 0 }, [
    retry({ retryAfterMs: 3000 }),
    retry({ retryAfterMs: 60_000 }),
  ])
  engine.push('a')
  await settle()
  await clock.advance(2999)
  t.equal(batches.length, 1, 'not before the 3 s the server asked for')
  await clock.advance(1)
  t.equal(batches.length, 2, 'right when it asked')
  await clock.advance(4999)
  t.equal(batches.length, 2)
  await clock.advance(1)
  t.equal(batches.length, 3, 'a 60 s Retry-After is capped at retryMaxDelayMs (5 s)')
  t.equal(engine.stats().delivered, 1)
})

t.test('a drop outcome drops the batch with its reason, never retried', async (t) => {
  const { clock, engine, batches, lines, identity } = setup({ flushIntervalMs: 0 }, [
    { kind: 'drop', reason: 'http-400', message: 'the endpoint answered 400' },
  ])
  engine.push('a')
  await settle()
  engine.push('b')
  await clock.advance(10_000)
  t.same(batches, [['a'], ['b']])
  t.same(engine.stats().dropped, { 'http-400': 1 })
  t.match(lines[0], /answered 400; dropped 1 records \(not retried\)/)
  t.ok(identity())
})

t.test(
  '413: the batch is split in halves, down to one record; every record delivered or counted, in order',
  async (t) => {
    const tooLarge: SendOutcome = { kind: 'drop', reason: 'http-413', message: 'the endpoint answered 413' }
    // Refused: the batch of 5, then its older half of 3; the rest is delivered.
    const { clock, engine, batches, lines, identity } = setup({ maxBatchRecords: 5 }, [tooLarge, tooLarge])
    const violations: string[] = []
    engine.push('a')
    for (const r of ['b', 'c', 'd', 'e']) engine.push(r)
    for (let i = 0; i < 10 && batches.length < 6; i++) {
      await settle()
      if (!identity()) violations.push(`accounting broken after ${batches.length} requests`)
    }
    await clock.advance(1000)
    const stats = await engine.close()
    t.same(
      batches,
      [['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c'], ['a', 'b'], ['c'], ['d', 'e']],
      'halves go in order, the older half first',
    )
    t.match(stats, { received: 5, delivered: 5, dropped: {}, retried: 0, buffered: 0 })
    t.same(violations, [], 'received = delivered + dropped + buffered at every step')
    t.match(lines[0], /answered 413; split the batch of 5 records in two \(3 \+ 2\)/)
  },
)

t.test('413 for a single record: dropped, counted as http-413, not retried', async (t) => {
  const tooLarge: SendOutcome = { kind: 'drop', reason: 'http-413', message: 'the endpoint answered 413' }
  const { engine, batches, lines } = setup({ maxBatchRecords: 2 }, [tooLarge, tooLarge, tooLarge])
  engine.push('huge')
  engine.push('next')
  const stats = await engine.close()
  t.same(batches, [['huge', 'next'], ['huge'], ['next']])
  t.match(stats, { received: 2, delivered: 0, dropped: { 'http-413': 2 }, buffered: 0 })
  t.match(lines.join('\n'), /answered 413; dropped 1 records \(not retried\)/)
})

t.test('maxRetries bounds the retries of a batch', async (t) => {
  const { clock, engine, batches } = setup({ flushIntervalMs: 0, maxRetries: 1 }, [retry(), retry(), retry()])
  engine.push('a')
  await clock.advance(1000)
  t.same(engine.stats().dropped, { 'retries-exhausted': 1 })
  engine.push('b')
  await clock.advance(1000)
  t.equal(batches.length, 4, 'the next batch starts with a fresh attempt count')
  t.equal(engine.stats().delivered, 1)
})

t.test('a send that throws is retried, not lost', async (t) => {
  const { clock, engine, lines } = setup({ flushIntervalMs: 0 }, ['throw'])
  engine.push('a')
  await clock.advance(1000)
  t.equal(engine.stats().delivered, 1)
  t.match(lines[0], /sending failed \(boom\)/)
})

t.test('outage then recovery: zero loss, order kept, identity at every step', async (t) => {
  const answers: SendOutcome[] = Array.from({ length: 8 }, () => retry())
  const { clock, engine, batches, identity } = setup({ maxBatchRecords: 10, flushIntervalMs: 10 }, answers)
  let n = 0
  // Checked at every step; one assertion over the steps where it broke.
  const broken: number[] = []
  for (let step = 0; step < 200; step++) {
    engine.push(String(n++))
    if (!identity()) broken.push(step)
    await clock.advance(7)
  }
  t.same(broken, [], 'the identity at every step (the steps where it broke)')
  await clock.advance(60_000)
  const delivered = batches.slice(8).flat()
  t.same(
    delivered,
    Array.from({ length: 200 }, (_, i) => String(i)),
    'every record, once, in order',
  )
  t.same(engine.stats().dropped, {})
  t.equal(engine.stats().delivered, 200)
})

for (const overflow of ['drop-oldest', 'drop-newest'] as const) {
  t.test(`overflow ${overflow}: exact drop counts during an outage`, async (t) => {
    // 4-byte records, 40-byte buffer: 10 fit. The endpoint fails until the test lets it recover.
    let down = true
    const clock = new FakeClock(1_000_000)
    const delivered: string[] = []
    const engine = new DeliveryEngine(
      { ...rules, overflow, maxBufferBytes: 40, maxBatchRecords: 5, flushIntervalMs: 0 },
      {
        send: async (records) => {
          if (down) return retry()
          delivered.push(...records)
          return DELIVERED
        },
        stats: { emit: () => true },
        diagnostics: { report: () => {}, always: () => {} },
        target: 't',
        clock,
        random: () => 0.5,
      },
    )
    for (let i = 0; i < 25; i++) {
      engine.push(`r${String(i).padStart(3, '0')}`)
      await clock.advance(1)
    }
    t.same(engine.stats().dropped, { overflow: 15 })
    t.equal(engine.held, 10)
    down = false
    await clock.advance(60_000)
    const expected =
      overflow === 'drop-oldest'
        ? Array.from({ length: 10 }, (_, i) => `r${String(15 + i).padStart(3, '0')}`)
        : Array.from({ length: 10 }, (_, i) => `r${String(i).padStart(3, '0')}`)
    t.same(delivered, expected, overflow === 'drop-oldest' ? 'the newest 10 survive' : 'the oldest 10 survive')
    t.same(engine.stats(), {
      destination: 'test',
      received: 25,
      delivered: 10,
      dropped: { overflow: 15 },
      retried: engine.stats().retried,
      buffered: 0,
    })
  })
}

t.test('records over maxRecordBytes are dropped and counted, never block the queue', async (t) => {
  const { engine, batches } = setup({ maxRecordBytes: 3, flushIntervalMs: 0 })
  engine.push('toolong')
  engine.push('ok')
  await settle()
  t.same(batches, [['ok']])
  t.same(engine.stats().dropped, { 'record-too-large': 1 })
})

t.test('close sends what is held at once, resolves, publishes final stats; idempotent', async (t) => {
  const { engine, batches, published } = setup({ flushIntervalMs: 60_000 })
  engine.push('a')
  await settle()
  t.equal(batches.length, 0)
  const stats = await engine.close()
  t.same(batches, [['a']])
  t.same(stats, { destination: 'test', received: 1, delivered: 1, dropped: {}, retried: 0, buffered: 0 })
  t.same(published.at(-1), stats)
  t.equal(engine.close(), engine.close(), 'the same promise')
  engine.push('late')
  t.same(engine.stats().dropped, { closed: 1 }, 'a record after close is counted, not lost silently')
})

t.test('close with nothing held resolves at once', async (t) => {
  const { engine } = setup()
  t.same((await engine.close()).received, 0)
})

t.test('close against a hanging endpoint resolves by its deadline and says what was lost', async (t) => {
  const { clock, engine, lines, identity } = setup({ closeTimeoutMs: 200 }, ['hang'])
  for (const r of ['a', 'b', 'c', 'd']) engine.push(r)
  let stats: DeliveryStats | undefined
  const closing = engine.close().then((s) => {
    stats = s
  })
  await clock.advance(199)
  t.equal(stats, undefined, 'still delivering before the deadline')
  await clock.advance(1)
  await closing
  t.same(stats?.dropped, { 'close-timeout': 4 })
  t.equal(stats?.buffered, 0)
  t.ok(identity())
  t.match(
    lines.join('\n'),
    /close: 4 records not delivered to POST http:\/\/sink\/log within closeTimeoutMs \(200 ms\)/,
  )
  t.match(lines.join('\n'), /closed: 4 records received, 0 delivered, 4 not delivered \(close-timeout: 4\)/)
})

t.test('close cuts a retry wait short and tries at once', async (t) => {
  const { engine, batches, lines } = setup({ closeTimeoutMs: 150, flushIntervalMs: 0 }, [
    retry({ retryAfterMs: 10_000 }),
  ])
  engine.push('a')
  await settle()
  t.equal(batches.length, 1)
  const stats = await engine.close()
  t.equal(batches.length, 2, 'the 10 s wait was cut short')
  t.same(stats.dropped, {})
  t.equal(stats.delivered, 1)
  t.notMatch(lines.join('\n'), /close:/)
})

t.test('close keeps retrying (with backoff) until its deadline', async (t) => {
  const { clock, engine, lines } = setup({ closeTimeoutMs: 150, flushIntervalMs: 0 }, [
    retry(),
    retry(),
    retry(),
    retry(),
  ])
  engine.push('a')
  await settle()
  const closing = engine.close()
  await clock.advance(150)
  const stats = await closing
  t.same(stats.dropped, { 'close-timeout': 1 })
  t.match(lines.join('\n'), /last problem: the endpoint answered 503/)
})

t.test('the system clock schedules unref timers', async (t) => {
  let fired = false
  const handle = SYSTEM_CLOCK.setTimeout(() => {
    fired = true
  }, 1) as NodeJS.Timeout
  t.equal(handle.hasRef(), false)
  await new Promise((r) => setTimeout(r, 20))
  t.ok(fired)
  const other = SYSTEM_CLOCK.setTimeout(() => t.fail('cleared'), 5)
  SYSTEM_CLOCK.clearTimeout(other)
  await new Promise((r) => setTimeout(r, 20))
  t.ok(SYSTEM_CLOCK.now() > 0)
})

t.test('backpressure: asks to pause at half the buffer while the endpoint keeps up', async (t) => {
  const { engine } = setup({ maxBufferBytes: 20, maxBatchRecords: 2, flushIntervalMs: 1000 })
  let resumed = 0
  engine.onResume(() => resumed++)
  t.equal(engine.push('aaaa'), true)
  t.equal(engine.push('bbbb'), true, 'a full batch goes out')
  t.equal(engine.push('cccc'), false, '12 of 20 bytes held: pause')
  t.equal(engine.push('dddd'), false)
  await settle()
  t.equal(resumed, 1, 'resumed once below half')
  t.equal(engine.push('eeee'), true)
  t.same(engine.stats().dropped, {})
})

t.test('backpressure: a failure resumes, and an outage never pauses', async (t) => {
  const { clock, engine } = setup({ maxBufferBytes: 20, maxBatchRecords: 2, flushIntervalMs: 1000 }, [retry(), retry()])
  let resumed = 0
  engine.onResume(() => resumed++)
  engine.push('aaaa')
  engine.push('bbbb')
  t.equal(engine.push('cccc'), false)
  await settle()
  t.equal(resumed, 1, 'the endpoint failed: take records again (the bound and overflow decide)')
  t.equal(engine.push('dddd'), true, 'in an outage push never asks to pause')
  t.equal(engine.push('eeee'), true)
  await clock.advance(10_000)
  t.equal(engine.stats().delivered + (engine.stats().dropped.overflow ?? 0), 5)
})

t.test('backpressure: close resumes a paused source', async (t) => {
  const { clock, engine } = setup({ maxBufferBytes: 20, maxBatchRecords: 2, flushIntervalMs: 1000 }, ['hang'])
  let resumed = 0
  engine.onResume(() => resumed++)
  engine.push('aaaa')
  engine.push('bbbb')
  t.equal(engine.push('cccc'), false)
  const closing = engine.close()
  t.equal(resumed, 1)
  await clock.advance(500)
  await closing
})

t.test('stopping is once: abandoning a closed engine changes nothing', async (t) => {
  const { engine } = setup({ flushIntervalMs: 0 })
  engine.push('a')
  const stats = await engine.close()
  engine.abandon()
  t.same(engine.stats(), stats)
  t.same((await engine.close()).delivered, 1)
})

// flush(): deliver what is held now, without closing.

interface Request {
  readonly records: string[]
  answer(outcome: SendOutcome): void
}

/** An engine whose requests wait until the test answers them (`answer`), on a fake clock. */
function manual(over: Partial<DeliveryRules> = {}) {
  const clock = new FakeClock(1_000_000)
  const pending: Request[] = []
  const sent: string[][] = []
  const published: DeliveryStats[] = []
  const engine = new DeliveryEngine(
    { ...rules, ...over },
    {
      send: (records, signal) =>
        new Promise<SendOutcome>((resolve) => {
          sent.push([...records])
          const entry = { records: [...records], answer: resolve }
          pending.push(entry)
          signal.addEventListener('abort', () => {
            pending.splice(pending.indexOf(entry), 1)
            resolve(retry())
          })
        }),
      stats: {
        emit: (_event, stats) => {
          published.push(stats as DeliveryStats)
          return true
        },
      },
      diagnostics: { report: () => {}, always: () => {} },
      target: 'POST http://sink/log',
      clock,
      random: () => 0.5,
      statsIntervalMs: 10,
    },
  )
  /** Answers the request holding `record`. */
  const answer = async (record: string, outcome: SendOutcome = DELIVERED) => {
    const i = pending.findIndex((p) => p.records.includes(record))
    if (i === -1) throw new Error(`no request in flight holds ${record}`)
    const [entry] = pending.splice(i, 1)
    entry?.answer(outcome)
    await settle()
  }
  return { clock, engine, pending, sent, published, answer }
}

/** A flush whose outcome the test can look at before it resolves (undefined: still waiting). */
function flushing(engine: DeliveryEngine, timeoutMs?: number) {
  const state: { outcome: FlushOutcome | undefined; done: Promise<FlushOutcome> } = {
    outcome: undefined,
    done: engine.flush(timeoutMs),
  }
  void state.done.then((outcome) => {
    state.outcome = outcome
  })
  return state
}

t.test('flush sends a partial batch at once despite a long flushIntervalMs, then publishes stats', async (t) => {
  const { engine, batches, published } = setup({ flushIntervalMs: 60_000 })
  engine.push('a')
  engine.push('b')
  await settle()
  t.same(batches, [], 'a partial batch waits for its interval')
  const flush = flushing(engine)
  await settle()
  t.same(batches, [['a', 'b']], 'sent at once, no time passed')
  const outcome = flush.outcome
  t.same(outcome, {
    complete: true,
    stats: { destination: 'test', received: 2, delivered: 2, dropped: {}, retried: 0, buffered: 0 },
  })
  t.same(published.at(-1), outcome?.stats, 'the stats are published when the flush ends')
})

t.test('flush with nothing held, or on a stopped engine, resolves complete at once', async (t) => {
  const { engine, batches } = setup({ flushIntervalMs: 0 })
  t.same(await engine.flush(), { complete: true, stats: engine.stats() }, 'nothing held')
  engine.push('a')
  await engine.close()
  t.same(await engine.flush(), { complete: true, stats: engine.stats() }, 'stopped: what it held is settled')
  t.same(batches, [['a']])
})

t.test('flush resolves only once every batch holding its records is settled, in any order', async (t) => {
  const { engine, pending, answer } = manual({ maxConcurrentRequests: 4, maxBatchRecords: 2, flushIntervalMs: 60_000 })
  // The window grows from one request to four while the endpoint keeps up.
  for (let i = 0; i < 20; i++) engine.push(`warm${i}`)
  while (pending.length > 0) await answer(pending[0]?.records[0] as string)
  t.equal(engine.concurrency, 4)
  for (let i = 1; i <= 7; i++) engine.push(`w${i}`)
  await settle()
  t.equal(pending.length, 3, 'three full batches in flight; w7 waits for its interval')
  const flush = flushing(engine)
  await settle()
  t.same(
    pending.map((p) => p.records),
    [['w1', 'w2'], ['w3', 'w4'], ['w5', 'w6'], ['w7']],
    'the partial batch went at once',
  )
  const seen: (boolean | undefined)[] = []
  for (const record of ['w7', 'w3', 'w5']) {
    await answer(record)
    seen.push(flush.outcome?.complete)
  }
  t.same(seen, [undefined, undefined, undefined], 'waiting while the oldest batch is in flight')
  await answer('w1')
  t.equal(flush.outcome?.complete, true)
  t.equal(flush.outcome?.stats.delivered, 27)
  t.equal(flush.outcome?.stats.buffered, 0)
})

t.test('records arriving after the flush do not delay it; afterwards partial batches wait again', async (t) => {
  const { engine, pending, sent, answer, clock } = manual({ flushIntervalMs: 60_000 })
  engine.push('a')
  engine.push('b')
  const flush = flushing(engine)
  await settle()
  engine.push('c')
  engine.push('d')
  await settle()
  t.same(sent, [['a', 'b']], 'c and d wait for the one request in flight')
  await answer('a')
  t.equal(flush.outcome?.complete, true, 'done with a and b delivered, c and d still held')
  t.same(flush.outcome?.stats, { destination: 'test', received: 4, delivered: 2, dropped: {}, retried: 0, buffered: 2 })
  t.same(sent, [['a', 'b']], 'no flush waits: the partial batch c, d waits for its interval')
  await clock.advance(60_000)
  t.same(sent, [
    ['a', 'b'],
    ['c', 'd'],
  ])
  await answer('c')
  t.equal(pending.length, 0)
})

t.test('a flush whose batch waits for its retry: the backoff is kept, done once delivered', async (t) => {
  const { engine, pending, sent, answer, clock } = manual({ flushIntervalMs: 60_000 })
  engine.push('a')
  const flush = flushing(engine, 1000)
  await settle()
  await answer('a', retry())
  await clock.advance(49)
  t.same(sent, [['a']], 'not sent again before its backoff (50 ms)')
  t.equal(flush.outcome, undefined)
  await clock.advance(1)
  t.same(sent, [['a'], ['a']])
  t.equal(flush.outcome, undefined, 'waiting for the retry to be answered')
  await answer('a')
  t.same(flush.outcome, {
    complete: true,
    stats: { destination: 'test', received: 1, delivered: 1, dropped: {}, retried: 1, buffered: 0 },
  })
  t.equal(pending.length, 0)
})

t.test('a flush not done by its timeout: complete false, the records still buffered, none dropped', async (t) => {
  const { engine, clock } = setup({ flushIntervalMs: 60_000 }, [retry(), retry(), retry(), retry(), retry()])
  engine.push('a')
  engine.push('b')
  const flush = flushing(engine, 200)
  await clock.advance(199)
  t.equal(flush.outcome, undefined, 'still waiting before its timeout')
  await clock.advance(1)
  t.equal(flush.outcome?.complete, false)
  t.match(flush.outcome?.stats, { received: 2, delivered: 0, dropped: {}, buffered: 2 })
  t.equal(engine.held, 2, 'kept for later delivery')
  await clock.advance(10_000)
  t.same(engine.stats().delivered, 2, 'delivered once the endpoint recovers')
})

t.test('the default timeout of a flush is closeTimeoutMs', async (t) => {
  const { engine, clock } = setup({ closeTimeoutMs: 300 }, ['hang'])
  engine.push('a')
  const flush = flushing(engine)
  await clock.advance(299)
  t.equal(flush.outcome, undefined)
  await clock.advance(1)
  t.equal(flush.outcome?.complete, false)
  t.equal(engine.held, 1)
})

t.test('a batch dropped by the endpoint (4xx) settles its records: the flush is complete', async (t) => {
  const { engine } = setup({ flushIntervalMs: 60_000 }, [
    { kind: 'drop', reason: 'http-400', message: 'the endpoint answered 400' },
  ])
  engine.push('a')
  const outcome = await engine.flush(1000)
  t.equal(outcome.complete, true)
  t.same(outcome.stats.dropped, { 'http-400': 1 })
  t.equal(outcome.stats.buffered, 0)
})

t.test('overflow dropping the records a flush waits for completes it (they are counted)', async (t) => {
  // 4-byte records, 40-byte buffer: 10 fit. The endpoint fails: the batch waits for a long retry.
  const { engine, clock } = setup(
    { maxBufferBytes: 40, maxBatchRecords: 5, flushIntervalMs: 60_000, overflow: 'drop-oldest' },
    [retry({ retryAfterMs: 5000 })],
  )
  for (let i = 0; i < 10; i++) engine.push(`o${String(i).padStart(3, '0')}`)
  const flush = flushing(engine, 2000)
  await settle()
  t.equal(flush.outcome, undefined, 'the first batch waits for its retry')
  const seen: (boolean | undefined)[] = []
  for (let i = 0; i < 10; i++) {
    engine.push(`n${String(i).padStart(3, '0')}`)
    await settle()
    seen.push(flush.outcome?.complete)
  }
  t.same(seen, [...Array(9).fill(undefined), true], 'done when the last of its ten records was dropped')
  t.match(flush.outcome?.stats, { received: 20, delivered: 0, dropped: { overflow: 10 }, buffered: 10 })
  await clock.advance(10_000)
  t.equal(engine.stats().delivered, 10)
})

t.test('the close deadline while a flush waits: its records are dropped and counted, so it is complete', async (t) => {
  const { engine, clock } = setup({ closeTimeoutMs: 200 }, ['hang'])
  engine.push('a')
  engine.push('b')
  const flush = flushing(engine, 10_000)
  const closing = engine.close()
  await clock.advance(199)
  t.equal(flush.outcome, undefined)
  await clock.advance(1)
  await closing
  t.equal(flush.outcome?.complete, true, 'every record settled: dropped, counted')
  t.same(flush.outcome?.stats.dropped, { 'close-timeout': 2 })
  t.same(
    await engine.flush(10_000),
    { complete: true, stats: engine.stats() },
    'after the stop: nothing left unsettled',
  )
})

/** A durable store stand-in: records wait in it (counted received) until the engine has room. */
function backlogOf(engine: DeliveryEngine, lines: string[]): Backlog {
  engine.spool.accepted(lines.length)
  const backlog: Backlog = {
    where: 'the test backlog',
    get waiting() {
      return lines.length
    },
    release() {},
    refill() {
      for (const line of lines.splice(0)) engine.spool.hold(line, 0, 0, line.length)
    },
  }
  engine.spool.attach(backlog)
  return backlog
}

t.test('a flush covers the records waiting in the backlog (spool) too', async (t) => {
  const { engine, sent, pending, answer } = manual({ flushIntervalMs: 60_000 })
  engine.push('a')
  backlogOf(engine, ['s1', 's2'])
  const flush = flushing(engine, 1000)
  await settle()
  await answer('a')
  t.equal(flush.outcome, undefined, 'a delivered: the backlog records are read back and sent at once')
  const seen: (boolean | undefined)[] = []
  while (pending.length > 0) {
    seen.push(flush.outcome?.complete)
    await answer(pending[0]?.records[0] as string)
  }
  t.same(sent.flat(), ['a', 's1', 's2'])
  t.same(seen, Array(seen.length).fill(undefined), 'not done while a backlog record was in flight')
  t.equal(flush.outcome?.complete, true)
  t.match(flush.outcome?.stats, { received: 3, delivered: 3, buffered: 0 })
})

t.test('the close deadline while a flush waits, with a backlog: kept, not delivered, so not complete', async (t) => {
  const { engine, clock } = manual({ closeTimeoutMs: 200 })
  backlogOf(engine, [])
  engine.push('a')
  const flush = flushing(engine, 10_000)
  const closing = engine.close()
  await clock.advance(200)
  await closing
  t.equal(flush.outcome?.complete, false, 'the spool keeps the record for the next start')
  t.same(flush.outcome?.stats.dropped, {})
  t.match(await engine.flush(10_000), { complete: false, stats: { buffered: 1 } }, 'a flush after the stop says so too')
})

t.test('an engine abandoned (exit handoff) while a flush waits: not complete', async (t) => {
  const { engine } = manual()
  engine.push('a')
  const flush = flushing(engine, 10_000)
  await settle()
  engine.abandon()
  await settle()
  t.equal(flush.outcome?.complete, false, 'another process delivers its records')
  t.match(await engine.flush(10_000), { complete: false, stats: { buffered: 1 } }, 'a flush after the stop says so too')
})

t.test(
  'an answer record by record: the delivered and refused are counted, only the ones to retry go again',
  async (t) => {
    const partial: SendOutcome = {
      kind: 'partial',
      drops: [
        { reason: 'es-mapping', count: 1, message: 'the endpoint refused 1 document (mapper_parsing_exception)' },
      ],
      retry: { indices: [1, 3], outcome: { ...retry(), reason: 'es-429', message: '2 documents refused with 429' } },
    }
    const { clock, engine, batches, lines, identity } = setup({ maxBatchRecords: 5 }, [partial])
    const violations: string[] = []
    for (const r of ['a', 'b', 'c', 'd', 'e']) engine.push(r)
    for (let i = 0; i < 5; i++) {
      await settle()
      if (!identity()) violations.push(`accounting broken after ${batches.length} requests`)
      await clock.advance(100)
    }
    const stats = await engine.close()
    t.same(
      batches,
      [
        ['a', 'b', 'c', 'd', 'e'],
        ['b', 'd'],
      ],
      'the retried records alone, in order',
    )
    t.match(stats, { received: 5, delivered: 4, dropped: { 'es-mapping': 1 }, retried: 2, buffered: 0 })
    t.same(violations, [], 'received = delivered + dropped + buffered at every step')
    t.match(lines.join('\n'), /mapper_parsing_exception\); dropped 1 records \(not retried\)/)
    t.match(lines.join('\n'), /2 documents refused with 429; retry 1 in/)
  },
)

t.test('an answer record by record without retries settles the batch; the retried ones obey maxRetries', async (t) => {
  const someRefused: SendOutcome = {
    kind: 'partial',
    drops: [{ reason: 'otlp-rejected', count: 1, message: 'rejected 1 log record' }],
  }
  const { engine, batches } = setup({ maxBatchRecords: 3 }, [someRefused])
  for (const r of ['a', 'b', 'c']) engine.push(r)
  t.match(await engine.close(), { received: 3, delivered: 2, dropped: { 'otlp-rejected': 1 }, buffered: 0 })
  t.equal(batches.length, 1)
  const again: SendOutcome = { kind: 'partial', drops: [], retry: { indices: [0], outcome: retry() } }
  const limited = setup({ maxBatchRecords: 2, maxRetries: 0 }, [again])
  for (const r of ['x', 'y']) limited.engine.push(r)
  t.match(await limited.engine.close(), { delivered: 1, dropped: { 'retries-exhausted': 1 }, buffered: 0 })
})
