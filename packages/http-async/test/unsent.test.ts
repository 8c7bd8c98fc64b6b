// The exit handoff (core's Unsent): what a stream on the application's thread had not
// delivered, and its delivery by another process's stream.
import t from 'tap'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { createHttpAsync, deliverUnsent } from '../src/transport.ts'

const line = (i: number) => `{"level":30,"i":${i},"pad":"${'x'.repeat(40)}"}`

t.test('takeUnsent: the batch in flight, the queue, the stream’s own queue and a partial line, in order', async (t) => {
  const sink = await startHttpSink({ script: [{ hang: true }] })
  t.teardown(() => sink.close())
  // A small buffer: the engine asks the stream to pause early, so later writes queue in the stream.
  const stream = await createHttpAsync(
    {
      url: sink.url,
      maxBatchRecords: 2,
      flushIntervalMs: 0,
      // Half (500 bytes, 8 records) pauses; what queues after that stays under the bound.
      maxBufferBytes: 1000,
      timeoutMs: 60_000,
      closeTimeoutMs: 100,
    },
    { writeDiagnostic: () => {} },
  )
  for (let i = 0; i < 2; i++) stream.write(`${line(i)}\n`)
  await sink.waitForRequests(1)
  for (let i = 2; i < 12; i++) stream.write(`${line(i)}\n`)
  stream.write('{"level":30,"i":12')
  const unsent = stream.takeUnsent()
  t.same(
    unsent.lines.map((l) => JSON.parse(l.endsWith('}') ? l : `${l}}`).i),
    Array.from({ length: 13 }, (_, i) => i),
  )
  t.ok(stream.writableLength > 0, 'some lines were still in the stream’s own queue')
  stream.destroy()
})

t.test('deliverUnsent: another process delivers the lines, then closes', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  await deliverUnsent({ url: sink.url }, { lines: [line(1), line(2)] })
  t.same(
    sink.records.map((r) => r.i),
    [1, 2],
  )
})
