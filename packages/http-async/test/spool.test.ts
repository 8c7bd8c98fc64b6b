// The durable spool (`spool: { dir, maxBytes }`) in one process, against a real sink: memory
// stays bounded while the disk holds an outage, nothing is dropped at close, what is left is
// delivered by the next stream, and one directory has one writer. Kills are spool-kill.test.ts.
import { once } from 'node:events'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { ConfigError, type DeliveryStats, SpoolInUseError } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { until } from '../../../test/helpers/until.ts'
import type { HttpAsyncOptions } from '../src/option-types.ts'
import { createHttpAsync, deliverUnsent, type HttpAsyncStream } from '../src/transport.ts'

const line = (i: number) => `{"level":30,"i":${i},"pad":"${'x'.repeat(60)}"}`
const ids = (records: Record<string, unknown>[]) => records.map((r) => r.i as number)
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

// One request at a time unless a test says otherwise: records then arrive in the order written.
async function open(options: Record<string, unknown>, lines: string[] = []): Promise<HttpAsyncStream> {
  return createHttpAsync(
    {
      flushIntervalMs: 0,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 50,
      maxConcurrentRequests: 1,
      ...options,
    } as unknown as HttpAsyncOptions,
    { writeDiagnostic: (l) => lines.push(l) },
  )
}

async function close(stream: HttpAsyncStream): Promise<DeliveryStats> {
  stream.end()
  await once(stream, 'close')
  return stream.engine.stats()
}

/** An endpoint that is down, and a stream spooling (64 KiB, segments of 8 KiB) to a fresh directory. */
async function spooledOutage(t: Test, options: Record<string, unknown> = {}) {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const dir = tempDir()
  const lines: string[] = []
  const stream = await open({ url: sink.url, ...options, spool: { dir, maxBytes: 65_536 } }, lines)
  return { sink, dir, lines, stream }
}

/** Writes records `from..to-1` in chunks of `per` lines, each chunk acknowledged before the next. */
async function write(stream: HttpAsyncStream, from: number, to: number, per = 10): Promise<void> {
  for (let i = from; i < to; i += per) {
    const chunk = range(i, Math.min(to, i + per))
      .map((k) => `${line(k)}\n`)
      .join('')
    await new Promise<void>((resolve) => stream.write(chunk, () => resolve()))
  }
}

t.test('an outage is held on disk, memory within maxBufferBytes; every record arrives, in order', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const dir = tempDir()
  const stream = await open({ url: sink.url, maxBatchRecords: 50, maxBufferBytes: 2000, spool: { dir } })
  await write(stream, 0, 500)
  const bytes = Buffer.byteLength(line(0))
  t.ok(stream.engine.held * bytes <= 2000, `${stream.engine.held} records in memory`)
  t.equal(stream.engine.stats().received, 500)
  t.equal(stream.engine.stats().buffered, 500, 'none dropped: the disk holds them')
  await sink.up()
  await sink.waitForRecords(500, 20_000)
  t.same(ids(sink.records), range(0, 500))
  const stats = await close(stream)
  t.same(stats.dropped, {})
  t.equal(stats.delivered, 500)
  t.same(readdirSync(dir).filter((f) => f.endsWith('.seg')).length, 1, 'spent segments deleted (the open one stays)')
  t.notOk(existsSync(join(dir, 'lock')), 'the lock is released at close')
})

t.test(
  'a batch split by a 413 is acknowledged whole once both halves are delivered: nothing comes back at the next start',
  async (t) => {
    const sink = await startHttpSink({ script: [{ status: 413, body: 'too large' }] })
    t.teardown(() => sink.close())
    const dir = tempDir()
    const stream = await open({ url: sink.url, maxBatchRecords: 40, flushIntervalMs: 20, spool: { dir } })
    await write(stream, 0, 40, 40)
    await sink.waitForRecords(40, 10_000)
    const stats = await close(stream)
    t.same(
      sink.requests.map((r) => r.status),
      [413, 200, 200],
    )
    t.same(ids(sink.records), range(0, 40), 'in order, each once')
    t.match(stats, { received: 40, delivered: 40, dropped: {}, buffered: 0 })
    const again = await startHttpSink()
    t.teardown(() => again.close())
    const restarted = await open({ url: again.url, spool: { dir } })
    const after = await close(restarted)
    t.same([after.received, again.records.length], [0, 0], 'the spool kept nothing of it')
  },
)

t.test('with several requests in flight: an outage read back from disk arrives whole, each record once', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const dir = tempDir()
  const stream = await open({
    url: sink.url,
    maxBatchRecords: 10,
    maxBufferBytes: 2000,
    maxConcurrentRequests: 8,
    spool: { dir },
  })
  await write(stream, 0, 500)
  t.equal(stream.engine.stats().buffered, 500, 'none dropped: the disk holds them')
  await sink.up()
  await sink.waitForRecords(500, 20_000)
  const stats = await close(stream)
  t.same(
    ids(sink.records).sort((a, b) => a - b),
    range(0, 500),
    'every record, once (batches may arrive in any order)',
  )
  t.same(stats.dropped, {})
  t.same(
    readdirSync(dir).filter((f) => f.endsWith('.seg')).length,
    1,
    'acknowledged as a contiguous prefix: spent segments deleted',
  )
})

t.test('retries during an outage do not read more into a full buffer', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const lines: string[] = []
  const stream = await open({ url: sink.url, maxBufferBytes: 1000, spool: { dir: tempDir() } }, lines)
  await write(stream, 0, 100)
  const retried = () => stream.engine.stats().retried
  await until(() => retried() >= 2 * stream.engine.held, 'two retries')
  // The first read after a delivery may take one record past the bound, never more.
  const held = stream.engine.held
  const size = Buffer.byteLength(line(0))
  t.ok(held * size <= 1000 + size, `${held} records of ${size} bytes: at most one past 1000 bytes`)
  const before = retried()
  await until(() => retried() >= before + 5 * held, 'five more retries')
  t.equal(stream.engine.held, held, 'the same records in memory, retry after retry')
  await sink.up()
  await close(stream)
  t.same(ids(sink.records), range(0, 100))
})

t.test('close before delivery: nothing dropped, what is left goes first from the next stream', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const dir = tempDir()
  const lines: string[] = []
  const first = await open({ url: sink.url, maxBufferBytes: 1000, closeTimeoutMs: 200, spool: { dir } }, lines)
  await write(first, 0, 100)
  const stats = await close(first)
  t.same(stats.dropped, {}, 'not dropped: kept')
  t.equal(stats.buffered, 100)
  t.match(lines.join('\n'), /100 records not delivered .* kept in the spool .* for the next start/)
  await sink.up()
  const second = await open({ url: sink.url, maxBufferBytes: 1000, spool: { dir } })
  await write(second, 100, 120)
  await sink.waitForRecords(120, 20_000)
  t.same(ids(sink.records), range(0, 120), 'the leftovers first, then the new records')
  const again = await close(second)
  t.equal(again.received, 120, 'the leftovers are counted received by the stream that sends them')
  t.equal(again.delivered, 120)
})

t.test('spool.maxBytes: past it the oldest records are dropped, counted spool-full', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const lines: string[] = []
  const stream = await open(
    { url: sink.url, maxBufferBytes: 1000, spool: { dir: tempDir(), maxBytes: 65_536 }, closeTimeoutMs: 5000 },
    lines,
  )
  await write(stream, 0, 2000)
  const dropped = stream.engine.stats().dropped['spool-full'] ?? 0
  t.ok(dropped > 0, `${dropped} dropped`)
  t.match(lines.join('\n'), /over spool\.maxBytes/)
  await sink.up()
  const stats = await close(stream)
  t.equal(stats.delivered + dropped, 2000, 'received = delivered + dropped')
  const delivered = ids(sink.records) as number[]
  t.same(
    delivered,
    [...delivered].sort((a, b) => a - b),
    'in order',
  )
  t.equal(delivered.at(-1), 1999, 'the newest kept')
})

t.test('a record over maxRecordBytes is dropped before the spool, counted', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const stream = await open({ url: sink.url, maxRecordBytes: 50, spool: { dir: tempDir() } })
  stream.write('{"level":30,"i":1}\n')
  stream.write(`${line(2)}\n`)
  const stats = await close(stream)
  t.same(stats.dropped, { 'record-too-large': 1 })
  t.same(ids(sink.records), [1])
})

t.test('one writer per directory: a second stream is refused; a dead owner’s lock is taken over', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const dir = tempDir()
  const first = await open({ url: sink.url, spool: { dir } })
  const refused = await open({ url: sink.url, spool: { dir } }).then(
    () => undefined,
    (err: unknown) => err,
  )
  t.match(refused, {
    name: 'SpoolInUseError',
    code: 'PA_SPOOL_IN_USE',
    owner: process.pid,
    option: 'spool.dir',
    message: new RegExp(`spool.dir: .* is in use by process ${process.pid} \\(this one`),
  })
  t.ok(refused instanceof SpoolInUseError, 'a SpoolInUseError')
  t.notOk(refused instanceof ConfigError, 'not a ConfigError: the options are valid, the directory is taken')
  await close(first)
  // Another live process (pid 1 always is).
  writeFileSync(join(dir, 'lock'), '1')
  await t.rejects(open({ url: sink.url, spool: { dir } }), { message: /is in use by process 1; give each/ })
  // ...unless this is the exit handoff's child of that process (its heir).
  const heir = await createHttpAsync({ url: sink.url, spool: { dir } }, { spoolHeirOf: 1 })
  t.equal(readFileSync(join(dir, 'lock'), 'utf8'), String(process.pid), 'taken over')
  await close(heir)
  writeFileSync(join(dir, 'lock'), '1')
  // A lock with no pid in it (a damaged file system) is stale.
  writeFileSync(join(dir, 'lock'), '')
  await close(await open({ url: sink.url, spool: { dir } }))
  // A process killed while it held the spool: pid 2^22 + 1 is above Linux's pid_max default.
  writeFileSync(join(dir, 'lock'), '4194305')
  const second = await open({ url: sink.url, spool: { dir } })
  await write(second, 0, 1)
  await close(second)
  t.same(ids(sink.records), [0])
})

t.test('batches dropped by the endpoint or after maxRetries are acknowledged on disk too', async (t) => {
  const sink = await startHttpSink({ script: [400, 503, 503] })
  t.teardown(() => sink.close())
  const dir = tempDir()
  const stream = await open({
    url: sink.url,
    maxBatchRecords: 5,
    flushIntervalMs: 10_000,
    maxRetries: 1,
    spool: { dir },
  })
  await write(stream, 0, 15, 5)
  const stats = await close(stream)
  t.same(stats.dropped, { 'http-400': 5, 'retries-exhausted': 5 })
  t.same(ids(sink.records), range(10, 15))
  const again = await open({ url: sink.url, spool: { dir } })
  t.equal(again.engine.stats().received, 0, 'nothing comes back: dropped and counted is settled')
  await close(again)
})

t.test('a spool that cannot be opened lets go of its lock; a damaged segment is reported', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const broken = tempDir()
  mkdirSync(join(broken, '00000001.seg'))
  await t.rejects(open({ url: sink.url, spool: { dir: broken } }), { code: 'EISDIR' })
  t.notOk(existsSync(join(broken, 'lock')))
  const locked = tempDir()
  mkdirSync(join(locked, 'lock'))
  await t.rejects(
    open({ url: sink.url, spool: { dir: locked } }),
    /lock/,
    'a lock that is not a file is not taken over',
  )

  const dir = tempDir()
  const first = await open({ url: sink.url, spool: { dir } })
  await close(first)
  // A kill in the middle of a write: half a frame at the end of a segment.
  appendFileSync(join(dir, '00000001.seg'), Buffer.from([0, 0, 0, 99, 1, 2, 3]))
  const lines: string[] = []
  const second = await open({ url: sink.url, spool: { dir } }, lines)
  await write(second, 0, 2)
  await close(second)
  t.match(lines.join('\n'), /1 spool segment\(s\) ended in a torn or corrupt write/)
  t.same(ids(sink.records), [0, 1])
})

t.test('a disk that fills up turns the spool off: delivery goes on from memory, nothing lost', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const dir = tempDir()
  const lines: string[] = []
  const stream = await open({ url: sink.url, spool: { dir, maxBytes: 65_536 } }, lines)
  // The next segment (segments rotate at 8 KiB here) is a full device: writing it fails ENOSPC.
  symlinkSync('/dev/full', join(dir, '00000002.seg'))
  await write(stream, 0, 300)
  t.match(lines.join('\n'), /the spool .*: writing failed \(ENOSPC: .*\); the spool is off for this process/)
  t.notOk(existsSync(join(dir, 'lock')), 'the spool let go of its directory')
  await write(stream, 300, 320)
  const stats = await close(stream)
  t.same(stats.dropped, {})
  t.same(ids(sink.records), range(0, 320), 'every record, in order, the failed write’s included')
  const unsent = stream.takeUnsent()
  t.same(unsent.spooled, undefined, 'a failed spool is not handed over')
})

t.test('a failed write while records wait on disk: the unwritten ones go to memory, all counted', async (t) => {
  const { sink, dir, lines, stream } = await spooledOutage(t, { maxBufferBytes: 4000 })
  symlinkSync('/dev/full', join(dir, '00000002.seg'))
  // A first chunk fills the first segment (most of it waits on disk); the second, staged whole
  // behind it, fails to be written.
  await write(stream, 0, 100, 100)
  await write(stream, 100, 200, 100)
  t.match(lines.join('\n'), /writing failed \(ENOSPC/)
  await sink.up()
  const stats = await close(stream)
  const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0)
  t.equal(stats.received, 200)
  t.equal(stats.delivered + dropped, 200, 'received = delivered + dropped')
  t.ok((stats.dropped.overflow ?? 0) > 0, 'memory alone could not hold them all: overflow, counted')
  const delivered = ids(sink.records) as number[]
  t.equal(delivered.at(-1), 199, 'the newest kept (drop-oldest)')
})

t.test('a failure after the write (deleting a segment past maxBytes): the chunk is still counted', async (t) => {
  const { sink, dir, lines, stream } = await spooledOutage(t)
  await write(stream, 0, 300)
  rmSync(join(dir, '00000001.seg'))
  await write(stream, 300, 800)
  t.match(lines.join('\n'), /writing failed \(ENOENT/)
  t.equal(stream.engine.stats().received, 800, 'every record counted received, the failing chunk’s included')
  await sink.up()
  const stats = await close(stream)
  t.same(stats.dropped, {})
  t.same(ids(sink.records), range(0, 800), 'all in memory: all delivered')
})

t.test('a failed acknowledgement turns the spool off; the records delivered stay delivered', async (t) => {
  const { sink, dir, lines, stream } = await spooledOutage(t)
  await write(stream, 0, 300)
  t.equal(stream.engine.held, 300, 'all in memory as well as on disk')
  for (const f of readdirSync(dir)) if (f.endsWith('.seg')) rmSync(join(dir, f))
  await sink.up()
  await sink.waitForRecords(300)
  const stats = await close(stream)
  t.match(lines.join('\n'), /acknowledging failed \(ENOENT/)
  t.same(stats.dropped, {})
  t.equal(stats.delivered, 300)
})

t.test('segments removed under the spool: it turns off, the records it lost track of are counted', async (t) => {
  const { sink, dir, lines, stream } = await spooledOutage(t, { maxBufferBytes: 1000 })
  await write(stream, 0, 300)
  for (const f of readdirSync(dir)) if (f.endsWith('.seg')) rmSync(join(dir, f))
  await sink.up()
  await until(() => /(reading|acknowledging) failed \(ENOENT/.test(lines.join('\n')), 'the failure reported')
  await until(() => stream.engine.held === 0, 'what memory held, delivered')
  await write(stream, 300, 310)
  const stats = await close(stream)
  t.ok((stats.dropped['spool-error'] ?? 0) > 0, 'records on disk not yet read are counted')
  const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0)
  t.equal(stats.received, 310)
  t.equal(stats.delivered + dropped, 310, 'received = delivered + dropped')
  t.same(ids(sink.records).slice(-10), range(300, 310), 'records after the failure are delivered')
})

t.test('exit handoff: the spool is handed over whole; the other process delivers it', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await sink.down()
  const dir = tempDir()
  const options = { url: sink.url, maxBufferBytes: 1000, spool: { dir } }
  const stream = await open(options)
  await write(stream, 0, 48)
  // Corked: these wait in the stream's own queue, not yet written to the spool.
  stream.cork()
  stream.write(`${line(48)}\n${line(49)}\n`)
  stream.write(line(50))
  const unsent = stream.takeUnsent()
  t.same(unsent, { lines: [], spooled: 51 }, 'the queued lines and the partial last one are spooled too')
  stream.destroy()
  await sink.up()
  await deliverUnsent(options, unsent)
  await until(() => sink.records.length >= 51, 'delivery')
  t.same(
    ids(sink.records).sort((a, b) => a - b),
    range(0, 51),
    'each record once (the other process sends with the default window)',
  )
})

t.test('the spool options are checked', async (t) => {
  const cases: [unknown, RegExp][] = [
    ['/tmp/x', /spool: received "\/tmp\/x"; expected an options object/],
    [{}, /spool\.dir: required; expected a directory path/],
    [{ dir: '/tmp/x', size: 1 }, /spool\.size: unknown option; valid options of spool are dir, maxBytes/],
    [{ dir: '/tmp/x', maxBytes: 1000 }, /spool\.maxBytes: received 1000; expected an integer from 65536/],
  ]
  for (const [spool, message] of cases) {
    await t.rejects(createHttpAsync({ url: 'http://127.0.0.1:9/', spool } as HttpAsyncOptions), { message })
  }
})
