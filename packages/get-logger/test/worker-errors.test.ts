// getLogger's worker after it failed: a second error changes nothing, and every record written
// from then on is counted dropped (worker-failed), once.
import type { DeliveryStats } from '@pino-advanced/core'
import { createDiagnostics } from '@pino-advanced/core'
import t from 'tap'
import { startWorker } from '../src/worker.ts'

t.test('a second error after the first keeps the count; later records are counted once each', async (t) => {
  const latest: Record<string, DeliveryStats> = {}
  const lines: string[] = []
  const diagnostics = createDiagnostics({ source: 'test', intervalMs: 0, write: (l) => lines.push(l) })
  const worker = startWorker(
    [{ target: 'pino/file', options: { destination: '/dev/null' }, level: 'info' }],
    diagnostics,
    latest,
  )
  worker.transport.emit('error', new Error('first'))
  worker.transport.write('{"level":30}\n{"level":30}\n')
  worker.transport.emit('error', new Error('second'))
  worker.transport.write('{"level":30}\n')
  t.match(latest.worker, { received: 3, delivered: 0, dropped: { 'worker-failed': 3 }, buffered: 0 })
  t.match(lines, [/the worker thread failed: first/, /the worker thread failed: second/])
  await worker.end(2000)
})
