import { EventEmitter, once } from 'node:events'
import { Worker } from 'node:worker_threads'
import t from 'tap'
import { ConfigError } from '../src/errors.ts'
import {
  FLUSHED_EVENT,
  type FlushOutcome,
  type FlushReply,
  FlushRequests,
  flushArgument,
  flushMarker,
  publishFlushed,
  readFlushMarker,
} from '../src/flush.ts'
import { DeliveryCounters, type DeliveryStats } from '../src/stats.ts'

const stats = (delivered = 0): DeliveryStats => {
  const counters = new DeliveryCounters('test')
  counters.received = delivered
  counters.delivered = delivered
  return counters.snapshot()
}

/** The whole of `text` as bytes, read as one line. */
const read = (text: string) => {
  const bytes = Buffer.from(text)
  return readFlushMarker(bytes, 0, bytes.length)
}

/** A stream standing in for a transport's input: what is written is kept, as lines. */
function input(writable = true) {
  const written: string[] = []
  return { writable, written, write: (line: string) => written.push(line) }
}

/** The request a marker line asks for (the test's stand-in for the stream's line splitter). */
const requestOf = (line: string) => {
  const request = read(line)
  if (request === undefined) throw new Error(`not a flush marker: ${line}`)
  return request
}

t.test('a marker is one line, read back as the request it carries', async (t) => {
  const line = flushMarker(7, 250, true)
  t.equal(line, '{"level":999999999,"pinoAdvancedFlush":{"id":7,"timeoutMs":250,"local":true}}\n')
  t.same(read(line), { id: 7, timeoutMs: 250, local: true }, 'with its newline')
  t.same(read(line.trimEnd()), { id: 7, timeoutMs: 250, local: true }, 'without it')
  t.same(read(flushMarker(8)), { id: 8, timeoutMs: undefined, local: false }, 'defaults: no deadline, not local')
  t.ok(JSON.parse(line).level > 1e9 - 2, 'a level above any a logger defines, so every level filter passes it')
})

t.test('a marker is read at any range of a chunk, a plain Uint8Array at an offset too', async (t) => {
  const before = '{"level":30,"msg":"a"}\n'
  const marker = flushMarker(3, 100)
  const text = `${before}${marker}{"level":40}\n`
  const buffer = new ArrayBuffer(text.length + 16)
  const view = new Uint8Array(buffer, 5, text.length)
  view.set(Buffer.from(text))
  const start = before.length
  const end = start + marker.length - 1
  t.same(readFlushMarker(view, start, end), { id: 3, timeoutMs: 100, local: false })
  t.equal(readFlushMarker(view, 0, before.length - 1), undefined, 'the record before is a record')
})

t.test('ordinary records and lookalikes are not flushes', async (t) => {
  const cases: Record<string, string> = {
    'an ordinary record': '{"level":30,"msg":"hello"}',
    'a level starting with 9': '{"level":90,"msg":"custom level 90"}',
    'as long as the prefix only': '{"level":999999999,"pinoAdvancedFlush":',
    'a short line': '{"level":9}',
    'a near miss of the prefix': '{"level":999999999,"pinoAdvancedFlushX":{"id":1}}',
    'a tail that is not JSON': '{"level":999999999,"pinoAdvancedFlush":{"id":1,',
    'an id that is not a number': '{"level":999999999,"pinoAdvancedFlush":{"id":"1"}}',
    'no id': '{"level":999999999,"pinoAdvancedFlush":{"timeoutMs":5}}',
    'a null body': '{"level":999999999,"pinoAdvancedFlush":null}',
    'an empty line': '',
  }
  const misread = Object.entries(cases).filter(([, line]) => read(line) !== undefined)
  t.same(misread, [], 'none read as a flush')
})

t.test('odd fields of a marker fall back: a timeoutMs that is not a number, local not true', async (t) => {
  t.same(read('{"level":999999999,"pinoAdvancedFlush":{"id":2,"timeoutMs":"5","local":"yes"}}'), {
    id: 2,
    timeoutMs: undefined,
    local: false,
  })
})

t.test('flush() writes a local marker into the stream and resolves when the stream answers it', async (t) => {
  const emitter = new EventEmitter()
  const requests = new FlushRequests(emitter)
  const stream = input()
  let ended = 0
  const endedFlush = async () => {
    ended++
    return { complete: true, stats: stats() }
  }
  let outcome: FlushOutcome | undefined
  const done = requests.flush(stream, { timeoutMs: 300 }, endedFlush).then((o) => {
    outcome = o
    return o
  })
  t.equal(stream.written.length, 1, 'one marker written')
  const request = requestOf(stream.written[0] as string)
  t.match(request, { timeoutMs: 300, local: true })
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(outcome, undefined, 'pending until answered')
  const answer = { complete: true, stats: stats(4) }
  requests.answer(request, answer)
  t.equal(await done, answer)
  t.equal(ended, 0, 'a writable stream is flushed through its input')
})

t.test('flushes in progress have their own ids and are answered each on its own', async (t) => {
  const requests = new FlushRequests(new EventEmitter())
  const stream = input()
  const never = () => Promise.reject(new Error('not ended'))
  const first = requests.flush(stream, {}, never)
  const second = requests.flush(stream, {}, never)
  const [a, b] = stream.written.map(requestOf) as [ReturnType<typeof requestOf>, ReturnType<typeof requestOf>]
  t.not(a.id, b.id)
  t.equal(a.timeoutMs, undefined, 'no timeoutMs: the destination decides')
  const late = { complete: false, stats: stats() }
  const early = { complete: true, stats: stats(1) }
  requests.answer(b, early)
  requests.answer(a, late)
  t.same(await Promise.all([first, second]), [late, early])
  requests.answer(a, early)
  t.pass('answering a request twice is ignored')
})

t.test("pino's logger.flush(cb): the callback is called, without an error, once done", async (t) => {
  const requests = new FlushRequests(new EventEmitter())
  const stream = input()
  const calls: unknown[][] = []
  const done = requests.flush(
    stream,
    (...args: unknown[]) => calls.push(args),
    () => Promise.reject(new Error('not ended')),
  )
  const request = requestOf(stream.written[0] as string)
  t.equal(request.timeoutMs, undefined)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(calls, [], 'not before the answer')
  requests.answer(request, { complete: true, stats: stats() })
  await done
  t.same(calls, [[]])
})

t.test('a stream that has ended is flushed by `ended`, with the timeoutMs asked for', async (t) => {
  const requests = new FlushRequests(new EventEmitter())
  const stream = input(false)
  const asked: (number | undefined)[] = []
  const outcome = { complete: false, stats: stats() }
  const ended = async (timeoutMs: number | undefined) => {
    asked.push(timeoutMs)
    return outcome
  }
  t.equal(await requests.flush(stream, { timeoutMs: 50 }, ended), outcome)
  let called = 0
  t.equal(await requests.flush(stream, () => called++, ended), outcome)
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(called, 1, 'the callback form too')
  t.same(asked, [50, undefined])
  t.same(stream.written, [], 'nothing written into an ended stream')
})

t.test('a request from the main thread (not local) is answered by the FLUSHED_EVENT', async (t) => {
  const emitter = new EventEmitter()
  const requests = new FlushRequests(emitter)
  const replies: FlushReply[] = []
  emitter.on(FLUSHED_EVENT, (reply: FlushReply) => replies.push(reply))
  const s = stats(2)
  requests.answer({ id: 42, timeoutMs: undefined, local: false }, { complete: true, stats: s })
  t.same(replies, [{ id: 42, complete: true, stats: s }])
})

t.test('a local id the stream did not ask for is ignored; waiting flushes stay waiting', async (t) => {
  const emitter = new EventEmitter()
  const requests = new FlushRequests(emitter)
  let emitted = 0
  emitter.on(FLUSHED_EVENT, () => emitted++)
  const stream = input()
  let settled = false
  const done = requests
    .flush(stream, {}, () => Promise.reject(new Error('not ended')))
    .then(() => {
      settled = true
    })
  const mine = requestOf(stream.written[0] as string)
  requests.answer({ id: mine.id + 100, timeoutMs: undefined, local: true }, { complete: true, stats: stats() })
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(settled, false, 'still waiting for its own answer')
  t.equal(emitted, 0, 'no event for a local request')
  requests.answer(mine, { complete: true, stats: stats() })
  await done
  t.ok(settled)
})

t.test('settleAll resolves every flush still waiting with one outcome; none waiting: nothing asked', async (t) => {
  const requests = new FlushRequests(new EventEmitter())
  let asked = 0
  const outcome = { complete: false, stats: stats() }
  const make = () => {
    asked++
    return outcome
  }
  requests.settleAll(make)
  t.equal(asked, 0, 'nothing waits: the outcome is not even computed')
  const stream = input()
  const never = () => Promise.reject(new Error('not ended'))
  const flushes = [requests.flush(stream, {}, never), requests.flush(stream, { timeoutMs: 1 }, never)]
  requests.settleAll(make)
  t.same(await Promise.all(flushes), [outcome, outcome])
  t.equal(asked, 1)
  requests.settleAll(make)
  requests.answer(requestOf(stream.written[0] as string), { complete: true, stats: stats() })
  t.equal(asked, 1, 'settled flushes are gone: a second settleAll and a late answer change nothing')
})

t.test('flushArgument tells a callback from options; a bad timeoutMs is a ConfigError naming it', async (t) => {
  const cb = () => {}
  t.same(flushArgument(cb), { timeoutMs: undefined, callback: cb })
  t.same(flushArgument(undefined), { timeoutMs: undefined, callback: undefined })
  t.same(flushArgument({}), { timeoutMs: undefined, callback: undefined })
  t.same(flushArgument({ timeoutMs: 0 }), { timeoutMs: 0, callback: undefined })
  t.same(flushArgument({ timeoutMs: 2_147_483_647 }), { timeoutMs: 2_147_483_647, callback: undefined })
  const bad: unknown[] = [-1, 1.5, 2_147_483_648, '100', Number.NaN, Number.POSITIVE_INFINITY, null]
  const wrong: string[] = []
  for (const timeoutMs of bad) {
    try {
      flushArgument({ timeoutMs } as never)
      wrong.push(`${String(timeoutMs)}: accepted`)
    } catch (err) {
      const ok =
        err instanceof ConfigError &&
        err.option === 'timeoutMs' &&
        /^timeoutMs: received .*; expected an integer from 0 to 2147483647$/.test(err.message)
      if (!ok) wrong.push(`${String(timeoutMs)}: ${(err as Error).message}`)
    }
  }
  t.same(wrong, [], 'each rejected with a ConfigError naming timeoutMs and its range')
})

t.test('publishFlushed on the main thread emits the reply on the stream', async (t) => {
  const emitter = new EventEmitter()
  const got = once(emitter, FLUSHED_EVENT)
  publishFlushed(emitter, { id: 1, complete: false, stats: stats() })
  const [reply] = await got
  t.same(reply, { id: 1, complete: false, stats: stats() })
})

t.test('in a worker the reply goes to the parent as a thread-stream EVENT message', async (t) => {
  const url = new URL('../dist/flush.js', import.meta.url).href
  const worker = new Worker(
    `import(${JSON.stringify(url)}).then(({ publishFlushed }) => publishFlushed({ emit() { throw new Error('not in a worker') } }, { id: 9, complete: true, stats: { destination: 'w' } }))`,
    { eval: true },
  )
  const [msg] = await once(worker, 'message')
  await worker.terminate()
  t.same(msg, { code: 'EVENT', name: FLUSHED_EVENT, args: [{ id: 9, complete: true, stats: { destination: 'w' } }] })
})
