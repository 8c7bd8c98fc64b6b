import t from 'tap'
import { FakeClock, settle } from '../../../test/helpers/fake-clock.ts'
import { random } from '../../../test/helpers/random.ts'
import { DeliveryEngine, type DeliveryRules } from '../src/delivery/engine.ts'
import type { Backlog } from '../src/delivery/spool-port.ts'
import { DELIVERED, type SendOutcome } from '../src/outcome.ts'

const rules: DeliveryRules = {
  maxBatchRecords: 2,
  maxBatchBytes: 1000,
  flushIntervalMs: 100,
  maxConcurrentRequests: 4,
  maxBufferBytes: 100_000,
  maxRecordBytes: 1000,
  overflow: 'drop-oldest',
  maxRetries: undefined,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 1000,
  closeTimeoutMs: 500,
  statsName: 'test',
}

const UNAVAILABLE: SendOutcome = { kind: 'retry', reason: 'http-503', message: 'the endpoint answered 503' }

interface Pending {
  readonly records: string[]
  answer(outcome: SendOutcome): void
}

/** An engine whose requests wait until the test answers them (`pending`), on a fake clock. */
function setup(over: Partial<DeliveryRules> = {}) {
  const clock = new FakeClock(1_000_000)
  const pending: Pending[] = []
  const sent: string[][] = []
  const lines: string[] = []
  let mostInFlight = 0
  const engine = new DeliveryEngine(
    { ...rules, ...over },
    {
      send: (records, signal) =>
        new Promise<SendOutcome>((resolve) => {
          sent.push([...records])
          const entry = { records: [...records], answer: resolve }
          pending.push(entry)
          mostInFlight = Math.max(mostInFlight, pending.length)
          signal.addEventListener('abort', () => {
            pending.splice(pending.indexOf(entry), 1)
            resolve(UNAVAILABLE)
          })
        }),
      stats: { emit: () => true },
      diagnostics: { report: (_k, m) => lines.push(m), always: (m) => lines.push(m) },
      target: 'POST http://sink/log',
      clock,
      random: () => 0.5,
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
  const identity = () => {
    const s = engine.stats()
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0)
    return s.received === s.delivered + dropped + s.buffered && s.buffered === engine.held
  }
  return { clock, engine, pending, sent, lines, answer, identity, mostInFlight: () => mostInFlight }
}

t.test('batches go concurrently up to the window, which grows from one while the endpoint keeps up', async (t) => {
  const { engine, pending, answer, sent } = setup()
  for (let i = 0; i < 20; i++) engine.push(`r${i}`)
  await settle()
  t.equal(pending.length, 1, 'the window starts at one request')
  await answer('r0')
  t.equal(pending.length, 2, 'the window doubled')
  await answer('r2')
  await answer('r4')
  t.equal(pending.length, 4, 'up to maxConcurrentRequests (4)')
  t.equal(engine.concurrency, 4)
  await answer('r6')
  t.equal(pending.length, 4, 'never past it')
  while (pending.length > 0) await answer(pending[0]?.records[0] as string)
  t.equal(sent.flat().length, 20)
  t.equal(engine.stats().delivered, 20)
})

t.test('a failed batch waits for its retry on its own; the others are delivered meanwhile', async (t) => {
  const { clock, engine, pending, answer, sent } = setup({ maxConcurrentRequests: 2 })
  for (let i = 0; i < 4; i++) engine.push(`r${i}`)
  await settle()
  await answer('r0') // the window grows to 2
  for (let i = 4; i < 8; i++) engine.push(`r${i}`)
  await settle()
  t.same(
    pending.map((p) => p.records),
    [
      ['r2', 'r3'],
      ['r4', 'r5'],
    ],
  )
  await answer('r2', UNAVAILABLE)
  t.equal(engine.concurrency, 1, 'a 503 halves the window')
  await answer('r4')
  t.same(pending.length, 0, 'the parked batch holds the only slot until its retry is due')
  await clock.advance(50) // backoff: half of 100 ms
  t.same(pending[0]?.records, ['r2', 'r3'], 'then it goes again, alone')
  await answer('r2')
  await answer('r6')
  t.same(
    sent.map((b) => b[0]),
    ['r0', 'r2', 'r4', 'r2', 'r6'],
  )
  t.same(engine.stats(), { destination: 'test', received: 8, delivered: 8, dropped: {}, retried: 2, buffered: 0 })
})

t.test(
  'overflow empties a parked batch: its slot waits out the backoff, and goes away if nothing waits then',
  async (t) => {
    const { clock, engine, pending, answer, sent } = setup({ maxBufferBytes: 8, overflow: 'drop-oldest' })
    engine.push('r0')
    engine.push('r1')
    await settle()
    await answer('r0') // the window grows to 2
    for (const r of ['r2', 'r3', 'r4', 'r5']) engine.push(r)
    await settle()
    await answer('r2') // and to 4 (its period ended with the window full)
    await answer('r4')
    t.equal(engine.concurrency, 4)
    for (const r of ['a0', 'a1', 'b0', 'b1']) engine.push(r)
    await settle()
    t.same(
      pending.map((p) => p.records),
      [
        ['a0', 'a1'],
        ['b0', 'b1'],
      ],
    )
    await answer('a0', UNAVAILABLE) // parked; the window halves to 2: b and the parked a fill it
    engine.push('c0') // the buffer is full: a's records go (the oldest not being sent)
    engine.push('c1')
    t.same(engine.stats().dropped, { overflow: 2 })
    await answer('b0') // a slot frees: c goes
    t.same(pending[0]?.records, ['c0', 'c1'])
    await answer('c0')
    await clock.advance(100)
    t.equal(pending.length, 0, 'the emptied slot found nothing to send and went away')
    t.same(
      sent.map((b) => b[0]),
      ['r0', 'r2', 'r4', 'a0', 'b0', 'c0'],
    )
    t.same(engine.stats(), {
      destination: 'test',
      received: 12,
      delivered: 10,
      dropped: { overflow: 2 },
      retried: 2,
      buffered: 0,
    })
  },
)

t.test('the backlog is released only as a contiguous prefix of settled batches', async (t) => {
  const { engine, answer } = setup()
  const released: number[] = []
  const backlog: Backlog = { release: (n) => released.push(n), refill: () => {}, waiting: 0, where: 'a test' }
  engine.spool.attach(backlog)
  for (let i = 0; i < 8; i++) engine.push(`r${i}`)
  await settle()
  await answer('r0')
  await answer('r2')
  await answer('r4')
  t.same(released, [2, 2, 2], 'in order: each batch as it settles')
  // r6 and what follows are now out together: settle them out of order.
  for (let i = 8; i < 14; i++) engine.push(`r${i}`)
  await settle()
  await answer('r10')
  await answer('r8', { kind: 'drop', reason: 'http-400', message: 'the endpoint answered 400' })
  t.same(released, [2, 2, 2], 'r6 is still out: nothing after it is released')
  await answer('r6')
  t.same(released, [2, 2, 2, 6], 'r6, r8 (dropped, counted) and r10 together')
})

t.test('maxConcurrentRequests 1: one request at a time, batches in the order of their records', async (t) => {
  const { engine, pending, answer, sent, mostInFlight } = setup({ maxConcurrentRequests: 1 })
  for (let i = 0; i < 10; i++) engine.push(`r${i}`)
  await settle()
  while (pending.length > 0) await answer(pending[0]?.records[0] as string)
  t.equal(mostInFlight(), 1)
  t.same(
    sent.flat(),
    Array.from({ length: 10 }, (_, i) => `r${i}`),
  )
})

t.test('accounting is exact at every moment: random answers, latencies and overflow, several seeds', async (t) => {
  const violations: string[] = []
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = random(seed)
    const { clock, engine, pending, answer, identity } = setup({
      maxConcurrentRequests: 8,
      maxBufferBytes: 60,
      maxBatchRecords: 3,
      maxRetries: 3,
      overflow: seed % 2 === 0 ? 'drop-newest' : 'drop-oldest',
    })
    for (let step = 0; step < 400; step++) {
      const roll = next()
      if (roll < 0.5) engine.push(`r${step}`)
      else if (roll < 0.8 && pending.length > 0) {
        const victim = pending[Math.floor(next() * pending.length)] as Pending
        const kind = next()
        const outcome: SendOutcome =
          kind < 0.7
            ? DELIVERED
            : kind < 0.9
              ? UNAVAILABLE
              : { kind: 'drop', reason: 'http-400', message: 'the endpoint answered 400' }
        await answer(victim.records[0] as string, outcome)
      } else await clock.advance(Math.floor(next() * 80))
      if (!identity()) violations.push(`seed ${seed}, step ${step}: ${JSON.stringify(engine.stats())}`)
    }
    const closing = engine.close()
    while (pending.length > 0) await answer(pending[0]?.records[0] as string)
    await clock.advance(500)
    const stats = await closing
    if (stats.buffered !== 0 || !identity()) violations.push(`seed ${seed}, after close: ${JSON.stringify(stats)}`)
  }
  t.same(violations, [], 'received = delivered + dropped + buffered, and buffered is what is held')
})

t.test(
  'beginClose starts the deadline: input after it is still delivered in time, then counted close-timeout',
  async (t) => {
    const { clock, engine, pending, answer, lines } = setup({ closeTimeoutMs: 500, flushIntervalMs: 60_000 })
    engine.push('r0')
    engine.beginClose()
    await settle()
    t.equal(pending.length, 1, 'a partial batch goes at once once closing')
    await answer('r0')
    engine.push('r1')
    await settle()
    await answer('r1')
    t.equal(engine.stats().delivered, 2, 'records arriving while closing are delivered')
    engine.push('r2') // its request hangs
    await clock.advance(500)
    t.equal(pending.length, 0, 'the deadline aborted what was in flight')
    engine.push('r3')
    t.same(engine.stats().dropped, { 'close-timeout': 2 }, 'in flight at the deadline, and arriving after it')
    const stats = await engine.close()
    t.equal(stats.buffered, 0)
    t.match(
      lines.join('\n'),
      /close: 2 records not delivered to POST http:\/\/sink\/log within closeTimeoutMs \(500 ms\)/,
    )
    t.match(lines.join('\n'), /closed: 4 records received, 2 delivered, 2 not delivered \(close-timeout: 2\)/)
  },
)

t.test('while closing, the engine is not drained before its input has ended', async (t) => {
  const { engine, answer } = setup({ flushIntervalMs: 0 })
  engine.beginClose()
  engine.push('r0')
  await settle()
  await answer('r0')
  let closed = false
  const closing = engine.close().then(() => {
    closed = true
  })
  await settle()
  t.ok(closed, 'drained once close() says the input ended')
  await closing
})
