// The default export called on the main thread (as pino.multistream or a preset without a
// worker would): the pipeline stage and the final target, with their close paths.
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { type DeliveryStats, FLUSHED_EVENT, type FlushReply, flushMarker, STATS_EVENT } from '@pino-advanced/core'
import pino from 'pino'
import t from 'tap'
import type { MemoryBufferOptions } from '../src/options.ts'
import memoryBufferTransport, { DESTROYED, type MemoryBufferStage, type MemoryBufferTarget } from '../src/transport.ts'

const tmp = () => mkdtempSync(join(tmpdir(), 'pa-mbt-'))
const line = (level: number, n: number) => `{"level":${level},"time":1,"n":${n}}\n`

/** Captures this process's stderr (core diagnostics write there) while `fn` runs. */
async function captureStderr(fn: () => Promise<void>): Promise<string> {
  const original = process.stderr.write
  let text = ''
  process.stderr.write = ((chunk: string) => {
    text += chunk
    return true
  }) as typeof process.stderr.write
  try {
    await fn()
  } finally {
    process.stderr.write = original
  }
  return text
}

async function readAll(stream: Duplex): Promise<string> {
  let text = ''
  stream.setEncoding('utf8')
  for await (const chunk of stream) text += chunk
  return text
}

t.test('pipeline stage on the main thread: released lines come out byte for byte, in order', async (t) => {
  const stage = (await memoryBufferTransport({ capacity: 3 })) as Duplex
  const got = readAll(stage)
  const stats = once(stage, STATS_EVENT)
  const input = [line(20, 1), line(20, 2), 'not json at all\n', line(50, 4), '{"level":"info","n":5}\n']
  for (const l of input) stage.write(l)
  stage.end()
  t.equal(await got, input.join(''))
  const [s] = await stats
  t.same(s, { destination: 'memory-buffer', received: 5, delivered: 5, dropped: {}, retried: 0, buffered: 0 })
})

t.test('pipeline stage inside pino.multistream on the main thread', async (t) => {
  const stage = (await memoryBufferTransport({ capacity: 100, flushLevel: 'warn' })) as Duplex
  const logger = pino({ level: 'debug' }, pino.multistream([{ level: 'debug', stream: stage }]))
  const got = readAll(stage)
  logger.debug('held')
  logger.warn('releases')
  logger.info('released on end')
  stage.end()
  t.same(
    (await got)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).msg),
    ['held', 'releases', 'released on end'],
  )
})

t.test('pipeline stage: a slow reader pauses the input and nothing is lost', async (t) => {
  const stage = (await memoryBufferTransport({ capacity: 1000 })) as Duplex
  const input: string[] = []
  for (let n = 0; n < 5000; n++) input.push(line(30, n).replace('}', `,"pad":"${'x'.repeat(100)}"}`))
  for (const l of input) stage.write(l)
  stage.end()
  await new Promise((r) => setTimeout(r, 20))
  t.equal(await readAll(stage), input.join(''))
})

t.test('pipeline stage destroyed before its end: held records are counted lost and reported', async (t) => {
  const stage = (await memoryBufferTransport({ capacity: 100, statsName: 'stage-x' })) as Duplex
  const stats = once(stage, STATS_EVENT)
  stage.write(line(20, 1))
  stage.write(line(20, 2))
  await new Promise((r) => setImmediate(r))
  const stderr = await captureStderr(async () => {
    // Duplex.from reports a destroy before the end as an AbortError.
    const errors: Error[] = []
    stage.on('error', (err) => errors.push(err))
    const closed = new Promise((r) => stage.on('close', r))
    stage.destroy()
    await closed
    t.ok(errors.every((e) => e.name === 'AbortError'))
  })
  const [s] = await stats
  t.same(s.dropped, { [DESTROYED]: 2 })
  t.equal(s.received, 2)
  t.match(stderr, /pino-advanced\/memory-buffer: destroyed: 2 held record\(s\) could not be released/)
  const empty = (await memoryBufferTransport({})) as Duplex
  empty.on('error', () => {})
  const closed = new Promise((r) => empty.on('close', r))
  empty.destroy()
  await closed
})

t.test('final target on the main thread: writes to destination with sonic-boom, releases on close', async (t) => {
  const file = join(tmp(), 'sub', 'out.log')
  const target = (await memoryBufferTransport({ capacity: 2, destination: file, statsName: 'file-buffer' })) as Duplex
  const stats = once(target, STATS_EVENT)
  const input = [line(20, 1), line(20, 2), line(30, 3)]
  for (const l of input) target.write(l)
  target.end()
  await once(target, 'close')
  t.equal(readFileSync(file, 'utf8'), input.join(''), 'capacity released two, close the third; dir made')
  const [s] = await stats
  t.same(s, { destination: 'file-buffer', received: 3, delivered: 3, dropped: {}, retried: 0, buffered: 0 })
})

t.test('final target: an unwritable destination is reported and counted, never thrown', async (t) => {
  const dir = tmp()
  writeFileSync(join(dir, 'a-file'), '')
  const bad = join(dir, 'a-file', 'out.log')
  const stderr = await captureStderr(async () => {
    const target = (await memoryBufferTransport({ capacity: 1, destination: bad })) as Duplex
    const stats = once(target, STATS_EVENT)
    await new Promise((r) => setTimeout(r, 50))
    target.write(line(50, 1))
    target.write(line(50, 2))
    target.end()
    await once(target, 'close')
    const [s] = await stats
    t.same(s.dropped, { 'output-error': 2 })
    t.equal(s.delivered, 0)
  })
  t.match(stderr, /pino-advanced\/memory-buffer: destination .*a-file\/out.log: (ENOTDIR|EEXIST)/)
  t.match(stderr, /could not pass on 1 record\(s\)/)
})

t.test('final target: a destination that never opens is cut off at closeTimeoutMs', async (t) => {
  const fifo = join(tmp(), 'fifo')
  execFileSync('mkfifo', [fifo])
  const stderr = await captureStderr(async () => {
    // Opening a FIFO for writing blocks until someone reads: sonic-boom never gets ready.
    const target = (await memoryBufferTransport({ destination: fifo, closeTimeoutMs: 100 })) as Duplex
    target.write(line(30, 1))
    target.end()
    const started = Date.now()
    await once(target, 'close')
    t.ok(Date.now() - started < 3000, 'close did not wait for the destination')
  })
  t.match(stderr, /did not finish writing within closeTimeoutMs \(100 ms\)/)
  // Let the blocked open complete so the process can exit.
  closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK))
})

t.test('fd destination (stdout is fd 1; here a file opened by the test)', async (t) => {
  const file = join(tmp(), 'fd.log')
  const fd = openSync(file, 'w')
  const target = (await memoryBufferTransport({ destination: fd, capacity: 1 })) as Duplex
  target.write(line(30, 1))
  target.end()
  await once(target, 'close')
  t.equal(readFileSync(file, 'utf8'), line(30, 1))
})

t.test("options are validated before anything starts; pino's own keys are ignored", async (t) => {
  await t.rejects(memoryBufferTransport({ capacity: 'lots' } as unknown as MemoryBufferOptions), {
    name: 'ConfigError',
    option: 'capacity',
  })
  const stage = (await memoryBufferTransport({
    $context: { threadStreamVersion: '4' },
    pinoWillSendConfig: true,
  } as MemoryBufferOptions)) as Duplex
  stage.resume()
  stage.end()
  await once(stage, 'close')
})

t.test('an unterminated last piece is passed on as it came, by the stage and the target', async (t) => {
  const stage = (await memoryBufferTransport({})) as Duplex
  const got = readAll(stage)
  stage.write(line(30, 1))
  stage.write('{"level":30,"tail":')
  stage.write('true}')
  stage.end()
  t.equal(await got, `${line(30, 1)}{"level":30,"tail":true}`)
  const file = join(tmp(), 'tail.log')
  const target = (await memoryBufferTransport({ destination: file })) as Duplex
  target.write(line(30, 1))
  target.write('no newline')
  target.end()
  await once(target, 'close')
  t.equal(readFileSync(file, 'utf8'), `${line(30, 1)}no newline`)
})

t.test('final target destroyed without an end still writes what it held', async (t) => {
  const file = join(tmp(), 'destroyed.log')
  const target = (await memoryBufferTransport({ destination: file })) as Duplex
  target.write(line(30, 1))
  await new Promise((r) => setImmediate(r))
  target.destroy()
  await once(target, 'close')
  t.equal(readFileSync(file, 'utf8'), line(30, 1))
})

const counts = (fields: Partial<DeliveryStats>): DeliveryStats => ({
  destination: 'memory-buffer',
  received: 0,
  delivered: 0,
  dropped: {},
  retried: 0,
  buffered: 0,
  ...fields,
})

t.test(
  "pipeline stage, the main thread's flush marker: releases, passes the marker on behind the released lines, answers",
  async (t) => {
    const stage = (await memoryBufferTransport({ capacity: 100 })) as MemoryBufferStage
    const got = readAll(stage)
    const replies: FlushReply[] = []
    stage.on(FLUSHED_EVENT, (reply: FlushReply) => replies.push(reply))
    stage.write(line(20, 1))
    stage.write(line(20, 2))
    stage.write(flushMarker(3, 200))
    stage.write(line(20, 4))
    stage.end()
    t.equal(await got, line(20, 1) + line(20, 2) + flushMarker(3, 200) + line(20, 4), 'released at the marker')
    t.same(
      replies,
      [{ id: 3, complete: true, stats: counts({ received: 2, delivered: 2 }) }],
      'the marker is no record',
    )
  },
)

t.test('pipeline stage flush(): releases what it holds, the marker not passed on; after end, the counts', async (t) => {
  const stage = (await memoryBufferTransport({ capacity: 100 })) as MemoryBufferStage
  const got = readAll(stage)
  const replies: FlushReply[] = []
  stage.on(FLUSHED_EVENT, (reply: FlushReply) => replies.push(reply))
  stage.write(line(20, 1))
  stage.write(line(20, 2))
  t.same(await stage.flush(), { complete: true, stats: counts({ received: 2, delivered: 2 }) })
  stage.write(line(20, 3))
  await new Promise<void>((resolve) => void stage.flush(() => resolve()))
  stage.end()
  t.equal(await got, line(20, 1) + line(20, 2) + line(20, 3), 'nothing but the records')
  t.same(await stage.flush({ timeoutMs: 200 }), { complete: true, stats: counts({ received: 3, delivered: 3 }) })
  t.same(replies, [], 'its own flushes are answered by the promise, not the event')
})

t.test('final target flush(): resolves once the file holds the released lines', async (t) => {
  const file = join(tmp(), 'flushed.log')
  const target = (await memoryBufferTransport({
    capacity: 100,
    destination: file,
    closeTimeoutMs: 500,
  })) as MemoryBufferTarget
  target.write(line(20, 1))
  target.write(line(20, 2))
  const outcome = await target.flush()
  t.equal(readFileSync(file, 'utf8'), line(20, 1) + line(20, 2))
  t.same(outcome, { complete: true, stats: counts({ received: 2, delivered: 2 }) })
  t.same(await target.flush({ timeoutMs: 200 }), outcome, 'nothing more to write: at once')
  target.end()
  await once(target, 'close')
  t.same(await target.flush({ timeoutMs: 200 }), outcome, 'after the end: the counts')
})

t.test("final target, the main thread's flush marker: answered once written, never written itself", async (t) => {
  const file = join(tmp(), 'marker.log')
  const target = (await memoryBufferTransport({
    capacity: 100,
    destination: file,
    closeTimeoutMs: 500,
  })) as MemoryBufferTarget
  const answered = once(target, FLUSHED_EVENT)
  target.write(line(20, 1))
  target.write(flushMarker(9, 200))
  const [reply] = (await answered) as [FlushReply]
  t.equal(readFileSync(file, 'utf8'), line(20, 1))
  t.same(reply, { id: 9, complete: true, stats: counts({ received: 1, delivered: 1 }) })
  target.end()
  await once(target, 'close')
  t.equal(readFileSync(file, 'utf8'), line(20, 1), 'the marker never reaches the file')
})

t.test(
  'final target: a destination that cannot take the write: flush false at timeoutMs; close ends a waiting flush',
  async (t) => {
    const fifo = join(tmp(), 'fifo')
    execFileSync('mkfifo', [fifo])
    // Opening a FIFO for writing blocks until someone reads: sonic-boom never writes a byte.
    const target = (await memoryBufferTransport({ destination: fifo, closeTimeoutMs: 500 })) as MemoryBufferTarget
    target.write(line(30, 1))
    t.same(await target.flush({ timeoutMs: 200 }), { complete: false, stats: counts({ received: 1, delivered: 1 }) })
    const started = Date.now()
    const waiting = target.flush({ timeoutMs: 2000 })
    await captureStderr(async () => {
      target.end()
      await once(target, 'close')
    })
    t.same(await waiting, { complete: false, stats: counts({ received: 1, delivered: 1 }) })
    t.ok(Date.now() - started < 2000, 'ended by the close (closeTimeoutMs), not at its own deadline')
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK))
  },
)

t.test(
  'final target: a destination error ends a waiting flush, complete false; a later flush does not wait',
  async (t) => {
    const dir = tmp()
    writeFileSync(join(dir, 'a-file'), '')
    const outcomes: unknown[] = []
    const took: number[] = []
    const stderr = await captureStderr(async () => {
      const target = (await memoryBufferTransport({
        destination: join(dir, 'a-file', 'out.log'),
        closeTimeoutMs: 500,
      })) as MemoryBufferTarget
      // Before sonic-boom could open (and fail): the line is handed to it, never written.
      target.write(line(30, 1))
      for (const more of [false, true]) {
        if (more) target.write(line(30, 2))
        const started = Date.now()
        outcomes.push(await target.flush({ timeoutMs: 2000 }))
        took.push(Date.now() - started)
      }
      target.end()
      await once(target, 'close')
    })
    t.same(outcomes, [
      { complete: false, stats: counts({ received: 1, delivered: 1 }) },
      { complete: false, stats: counts({ received: 2, delivered: 1, dropped: { 'output-error': 1 } }) },
    ])
    t.ok(
      took.every((ms) => ms < 2000),
      `at the error, not at the deadline (${took.join(', ')} ms)`,
    )
    t.match(stderr, /destination .*a-file\/out.log: (ENOTDIR|EEXIST)/)
  },
)

t.test('final target destroyed with a flush still queued in its input: the flush resolves', async (t) => {
  const file = join(tmp(), 'corked.log')
  const target = (await memoryBufferTransport({ destination: file, closeTimeoutMs: 500 })) as MemoryBufferTarget
  target.cork()
  const flushed = target.flush()
  target.destroy()
  await once(target, 'close')
  t.same(await flushed, { complete: true, stats: counts({}) })
})
