/**
 * Closing a pino.transport in a test:
 *
 *   const stats = await closeTransport(transport) // the stats events emitted while closing
 *
 * Ends the transport and waits for its worker's 'close', at most `boundMs` (then rejects).
 * pino unrefs its worker once ready: an interval holds the process open meanwhile.
 */
import { type DeliveryStats, STATS_EVENT } from '@pino-advanced/core'
import type pino from 'pino'

export type Transport = ReturnType<typeof pino.transport>

export async function closeTransport(transport: Transport, boundMs = 15_000): Promise<DeliveryStats[]> {
  const stats: DeliveryStats[] = []
  transport.on(STATS_EVENT, (s: DeliveryStats) => stats.push(s))
  const alive = setInterval(() => {}, 1000)
  try {
    await new Promise<void>((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error('transport did not close in time')), boundMs)
      transport.once('close', () => {
        clearTimeout(bound)
        resolve()
      })
      transport.end()
    })
  } finally {
    clearInterval(alive)
  }
  return stats
}
