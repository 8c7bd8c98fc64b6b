import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, constants, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createDiagnostics,
  type DeliveryStats,
  FLUSHED_EVENT,
  type FlushReply,
  flushMarker,
  STATS_EVENT,
} from '@pino-advanced/core'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { until } from '../../../test/helpers/until.ts'
import { FileDestination } from '../src/file-destination.ts'
import fileTarget, { readFileTargetOptions } from '../src/file-target.ts'

function capture() {
  const lines: string[] = []
  return { lines, diagnostics: createDiagnostics({ source: 'file', write: (l) => lines.push(l) }) }
}

const stats = (dest: FileDestination) => {
  const seen: DeliveryStats[] = []
  dest.on(STATS_EVENT, (s: DeliveryStats) => seen.push(s))
  return seen
}

t.test('sync (the application thread): each record counted delivered once written', async (t) => {
  const path = join(tempDir(), 'app.log')
  const dest = new FileDestination({ destination: path, statsName: 'file', sync: true }, capture().diagnostics)
  const seen = stats(dest)
  dest.write('{"i":1}\n')
  dest.write('{"i":2}\n{"i":3}\n')
  t.match(dest.counters.snapshot(), { destination: 'file', received: 3, delivered: 3, buffered: 0 })
  dest.flushSync()
  await dest.close(1000)
  await dest.close(1000)
  t.equal(readFileSync(path, 'utf8'), '{"i":1}\n{"i":2}\n{"i":3}\n')
  t.match(seen.at(-1), { received: 3, delivered: 3 })
})

t.test('async (a worker): delivered once sonic-boom wrote the bytes', async (t) => {
  const path = join(tempDir(), 'app.log')
  const dest = new FileDestination(
    { destination: path, statsName: 'file', sync: false, statsIntervalMs: 1 },
    capture().diagnostics,
  )
  const seen = stats(dest)
  for (let i = 0; i < 2000; i++) dest.write(Buffer.from(`{"i":${i}}\n{"j":${i}}\n`))
  t.equal(dest.counters.received, 4000)
  await dest.close(5000)
  t.match(dest.counters.snapshot(), { received: 4000, delivered: 4000, buffered: 0, dropped: {} })
  t.equal(readFileSync(path, 'utf8').split('\n').length, 4001)
  t.match(seen.at(-1), { delivered: 4000 })
})

t.test('a refused write is reported once and counted dropped, as is everything after it', async (t) => {
  const path = join(tempDir(), 'readonly.log')
  closeSync(openSync(path, 'w'))
  const fd = openSync(path, 'r')
  t.teardown(() => closeSync(fd))
  const { lines, diagnostics } = capture()
  const dest = new FileDestination({ destination: fd, statsName: 'file', sync: true }, diagnostics)
  dest.write('{"i":1}\n')
  dest.write('{"i":2}\n')
  dest.flushSync()
  t.match(dest.counters.snapshot(), { received: 2, delivered: 0, dropped: { 'write-error': 2 } })
  t.match(lines, [/^file: file \d+: .*EBADF.*; records dropped\n$/])
  await dest.close(1000)

  // Asynchronously, the records in flight when the error comes are the ones dropped.
  const asyncDest = new FileDestination({ destination: fd, statsName: 'file', sync: false }, diagnostics)
  asyncDest.write(Buffer.from('{"i":1}\n{"i":2}\n'))
  await until(() => asyncDest.counters.droppedTotal === 2, 'the write error')
  t.match(asyncDest.counters.snapshot(), { received: 2, delivered: 0, dropped: { 'write-error': 2 }, buffered: 0 })
  await asyncDest.close(1000)
})

t.test('a file that cannot take the last records within the deadline: dropped, counted, reported', async (t) => {
  const dir = tempDir()
  const fifo = join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const { lines, diagnostics } = capture()
  // Opening a FIFO for writing waits for a reader: nothing can be written.
  const dest = new FileDestination({ destination: fifo, statsName: 'file', sync: false }, diagnostics)
  dest.write(Buffer.from('{"i":1}\n{"i":2}\n'))
  await dest.close(100)
  t.match(dest.counters.snapshot(), { received: 2, delivered: 0, dropped: { 'close-timeout': 2 }, buffered: 0 })
  t.match(lines, [`file: close: 2 records not written to file ${fifo} within 100 ms\n`])
  // Let the pending open finish so that the test process can end.
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
  t.teardown(() => closeSync(reader))
})

t.test('the worker target: options checked; lines in, counted, written', async (t) => {
  t.throws(() => readFileTargetOptions({ destination: 3 }), { code: 'PA_INVALID_OPTION', option: 'destination' })
  t.throws(() => readFileTargetOptions(undefined), { code: 'PA_INVALID_OPTION', option: 'destination' })
  t.same(readFileTargetOptions({ destination: 1, $context: {} }), { destination: 1, statsName: 'file' })
  const path = join(tempDir(), 'target.log')
  const target = await fileTarget({ destination: path, statsName: 'file' })
  const seen: DeliveryStats[] = []
  target.on(STATS_EVENT, (s: DeliveryStats) => seen.push(s))
  target.write('{"i":1}\n')
  target.end('{"i":2}\n')
  await once(target, 'close')
  t.equal(readFileSync(path, 'utf8'), '{"i":1}\n{"i":2}\n')
  t.match(seen.at(-1), { destination: 'file', received: 2, delivered: 2 })
  const destroyed = await fileTarget({ destination: path, statsName: 'file' })
  destroyed.destroy()
  await once(destroyed, 'close')
})

t.test('flush: sync at once; async once every record written before is in the file', async (t) => {
  const dir = tempDir()
  const syncDest = new FileDestination(
    { destination: join(dir, 'sync.log'), statsName: 'file', sync: true },
    capture().diagnostics,
  )
  syncDest.write('{"i":1}\n')
  let called = 0
  t.match(await syncDest.flush(() => called++), { complete: true, stats: { received: 1, delivered: 1 } })
  t.equal(called, 1, 'a callback argument is called')
  await syncDest.close(1000)

  const path = join(dir, 'async.log')
  const dest = new FileDestination({ destination: path, statsName: 'file', sync: false }, capture().diagnostics)
  const lines = (n: number) => readFileSync(path, 'utf8').split('\n').length - 1 >= n
  const found: string[] = []
  for (const round of [1, 2]) {
    for (let i = 0; i < 2000; i++) dest.write(Buffer.from(`{"round":${round},"i":${i}}\n`))
    // The second round with the default deadline.
    const outcome = await (round === 1 ? dest.flush({ timeoutMs: 5000 }) : dest.flush())
    if (!outcome.complete || !lines(round * 2000)) found.push(`round ${round}: ${JSON.stringify(outcome)}`)
  }
  t.same(found, [], 'the file held every line when flush resolved, twice')
  await dest.close(1000)
})

t.test(
  'flush: a write that cannot finish (a pipe nobody reads) resolves complete false at timeoutMs; close ends it',
  async (t) => {
    const fifo = join(tempDir(), 'fifo')
    execFileSync('mkfifo', [fifo])
    // A reader that never reads keeps the pipe open; the writer fills its buffer and waits.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    t.teardown(() => closeSync(reader))
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
    const { diagnostics } = capture()
    const dest = new FileDestination({ destination: writer, statsName: 'file', sync: false }, diagnostics)
    const line = `{"pad":"${'x'.repeat(1000)}"}\n`
    for (let i = 0; i < 1000; i++) dest.write(Buffer.from(line))
    const started = Date.now()
    const outcome = await dest.flush({ timeoutMs: 200 })
    t.equal(outcome.complete, false)
    t.ok(outcome.stats.buffered > 0, 'the rest is still buffered, not dropped')
    t.ok(Date.now() - started < 200 + 2000, 'within its deadline')
    const waiting = dest.flush({ timeoutMs: 60_000 })
    await dest.close(200)
    t.match(await waiting, { complete: true, stats: { dropped: { 'close-timeout': outcome.stats.buffered } } })
  },
)

t.test('the worker target answers a flush marker once the lines before it are in the file', async (t) => {
  const path = join(tempDir(), 'marker.log')
  const target = await fileTarget({ destination: path, statsName: 'file' })
  const found: string[] = []
  // With the main thread's deadline, and without one (the file's own close deadline).
  for (const [id, timeoutMs] of [
    [1, 2000],
    [2, undefined],
  ] as const) {
    for (let i = 0; i < 500; i++) target.write(`{"id":${id},"i":${i}}\n`)
    const answered = once(target, FLUSHED_EVENT) as Promise<[FlushReply]>
    target.write(flushMarker(id, timeoutMs))
    const [reply] = await answered
    const lines = readFileSync(path, 'utf8').split('\n').length - 1
    if (reply.id !== id || !reply.complete || reply.stats.delivered !== id * 500 || lines !== id * 500) {
      found.push(`flush ${id}: ${JSON.stringify(reply)}, ${lines} lines in the file`)
    }
  }
  t.same(found, [], 'each answer came with every line before it written, the marker itself not')
  target.end()
  await once(target, 'close')
})

t.test("a rotating file's failed rotation is reported through the destination's diagnostics", async (t) => {
  const dir = tempDir()
  const { mkdirSync } = await import('node:fs')
  mkdirSync(join(dir, 'app.log.1', 'busy'), { recursive: true })
  const { lines, diagnostics } = capture()
  const dest = new FileDestination(
    {
      destination: join(dir, 'app.log'),
      statsName: 'rotating_file',
      sync: false,
      rotation: { kind: 'size', maxBytes: 10, backupCount: 1 },
    },
    diagnostics,
  )
  dest.write('{"a":1}\n{"b":2}\n')
  await dest.close(1000)
  t.match(lines, [/rotation failed .*; writing on into the same file/])
  t.match(dest.counters.snapshot(), { received: 2, delivered: 2 })
})
