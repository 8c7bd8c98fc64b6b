import { DeliveryCounters, parseLevel } from '@pino-advanced/core'
import t from 'tap'
import { TextLines } from '../src/line-store.ts'
import { DropReasons, MemoryBuffer } from '../src/memory-buffer.ts'
import type { BufferMode } from '../src/options.ts'

const line = (level: number, n: number) => `{"level":${level},"n":${n}}\n`

// A released chunk back into its lines, so that a test names the records released.
const linesOf = (chunk: string) => chunk.match(/[^\n]*\n/g) ?? []

function buffer(rules: { capacity?: number; flushLevel?: number; maxBytes?: number; mode?: BufferMode } = {}) {
  const counters = new DeliveryCounters('memory-buffer')
  const store = new TextLines(rules.maxBytes !== undefined)
  const memory = new MemoryBuffer(
    {
      capacity: rules.capacity ?? 3,
      flushLevel: rules.flushLevel ?? 50,
      maxBytes: rules.maxBytes,
      mode: rules.mode ?? 'batch',
    },
    counters,
    store,
  )
  const released = (release: { chunk: string; records: number } | undefined) => {
    if (release === undefined) return undefined
    const lines = linesOf(release.chunk)
    // The count the pump reports delivered must be the lines really released.
    if (lines.length !== release.records) throw new Error(`${release.records} records said, ${lines.length} released`)
    return lines
  }
  const b = {
    append(line: string, level: number | undefined) {
      store.push(line)
      return released(memory.added(level))
    },
    drain: () => released(memory.drain()) ?? [],
    get size() {
      return memory.size
    },
    get bytes() {
      return store.bytes
    },
  }
  return { b, counters }
}

t.test('batch: reaching capacity releases the whole buffer, in order', async (t) => {
  const { b, counters } = buffer({ capacity: 3 })
  t.equal(b.append(line(20, 1), 20), undefined)
  t.equal(b.append(line(30, 2), 30), undefined)
  t.equal(b.size, 2)
  t.same(b.append(line(20, 3), 20), [line(20, 1), line(30, 2), line(20, 3)])
  t.equal(b.size, 0)
  t.equal(b.append(line(20, 4), 20), undefined, 'starts over after a release')
  t.equal(counters.received, 4)
  t.equal(counters.droppedTotal, 0, 'batch mode never drops')
})

t.test('batch: a record at or above flushLevel releases, itself included', async (t) => {
  const { b } = buffer({ capacity: 100, flushLevel: 50 })
  b.append(line(20, 1), 20)
  b.append(line(40, 2), 40)
  t.same(b.append(line(50, 3), 50), [line(20, 1), line(40, 2), line(50, 3)], 'error releases')
  t.same(b.append(line(60, 4), 60), [line(60, 4)], 'a lone fatal is released at once')
  t.equal(b.append(line(49, 5), 49), undefined, 'just below stays')
})

t.test('batch: Python level names as flushLevel (WARNING, CRITICAL)', async (t) => {
  const warning = buffer({ capacity: 100, flushLevel: parseLevel('flushLevel', 'WARNING') }).b
  t.equal(warning.append(line(30, 1), 30), undefined, 'INFO is below WARNING')
  t.same(warning.append(line(40, 2), 40), [line(30, 1), line(40, 2)], 'warn (40) reaches WARNING')
  const critical = buffer({ capacity: 100, flushLevel: parseLevel('flushLevel', 'critical') }).b
  t.equal(critical.append(line(50, 1), 50), undefined, 'ERROR is below CRITICAL')
  t.same(critical.append(line(60, 2), 60), [line(50, 1), line(60, 2)], 'fatal reaches CRITICAL')
})

t.test('a line with no readable level is below flushLevel', async (t) => {
  const { b } = buffer({ capacity: 10, flushLevel: 10 })
  t.equal(b.append('not json\n', undefined), undefined)
  t.same(b.drain(), ['not json\n'])
})

t.test('batch: maxBytes releases when the held UTF-8 bytes reach it', async (t) => {
  const { b } = buffer({ capacity: 100, maxBytes: 10 })
  t.equal(b.append('1234\n', 20), undefined)
  t.equal(b.bytes, 5)
  t.equal(b.append('é\n', 20), undefined, '3 bytes, though 2 characters')
  t.equal(b.bytes, 8)
  t.same(b.append('ab\n', 20), ['1234\n', 'é\n', 'ab\n'], '11 bytes >= 10')
  t.equal(b.bytes, 0)
  t.same(b.append('0123456789\n', 20), ['0123456789\n'], 'one line over maxBytes goes at once')
  t.equal(buffer().b.append('x\n', 20) === undefined && buffer().b.bytes, 0, 'bytes are not counted without maxBytes')
})

t.test('ring: keeps the newest capacity records, counting each drop', async (t) => {
  const { b, counters } = buffer({ capacity: 3, mode: 'ring' })
  for (let n = 1; n <= 10; n++) t.equal(b.append(line(20, n), 20), undefined, 'capacity never releases in ring mode')
  t.equal(b.size, 3)
  t.same(counters.snapshot().dropped, { [DropReasons.RING_OVERWRITTEN]: 7 })
  t.same(
    b.append(line(50, 11), 50),
    [line(20, 9), line(20, 10), line(50, 11)],
    'error releases the newest, oldest first',
  )
  t.equal(counters.received, 11)
  t.equal(counters.droppedTotal + b.size, 8, 'received = released (3) + dropped + held')
})

t.test('ring: long runs compact without losing order', async (t) => {
  const { b, counters } = buffer({ capacity: 4, mode: 'ring' })
  for (let n = 1; n <= 1000; n++) b.append(line(20, n), 20)
  t.same(b.drain(), [line(20, 997), line(20, 998), line(20, 999), line(20, 1000)])
  t.equal(counters.droppedTotal, 996)
  t.same(b.drain(), [], 'empty after a drain')
})

t.test('ring: maxBytes evicts the oldest, never the newest record', async (t) => {
  const { b, counters } = buffer({ capacity: 100, maxBytes: 10, mode: 'ring' })
  b.append('1234\n', 20)
  b.append('5678\n', 20)
  t.equal(b.bytes, 10)
  b.append('ab\n', 20)
  t.equal(b.bytes, 8, 'the oldest made room')
  t.equal(b.size, 2)
  b.append('0123456789abcdef\n', 20)
  t.equal(b.size, 1, 'a record over maxBytes alone is kept (it may be the context of the next error)')
  t.same(counters.snapshot().dropped, { [DropReasons.RING_MAX_BYTES]: 3 })
  t.same(b.append('E\n', 50), ['E\n'], 'an error is never evicted before release')
  t.equal(counters.droppedTotal, 4)
})

t.test('drain returns everything held and empties the buffer', async (t) => {
  const { b } = buffer({ capacity: 10 })
  t.same(b.drain(), [])
  b.append('a\n', 20)
  b.append('b\n', 20)
  t.same(b.drain(), ['a\n', 'b\n'])
  t.equal(b.size, 0)
})
