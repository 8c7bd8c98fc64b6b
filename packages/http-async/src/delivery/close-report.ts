import { closedSummary, type DeliveryStats, type Diagnostics } from '@pino-advanced/core'

export interface CloseFacts {
  /** Named in messages: `POST https://host/path`. */
  readonly target: string
  readonly closeTimeoutMs: number
  /** The deadline stopped delivery (rather than everything being sent). */
  readonly timedOut: boolean
  /** Records not delivered by the deadline. */
  readonly undelivered: number
  /** With a spool: where what is left is kept. */
  readonly keptIn: string | undefined
  readonly lastProblem: string | undefined
}

/**
 * What a close says on stderr (never rate-limited): what the deadline left, and where it is
 * kept or why it was lost; then, if anything was dropped, the summary by reason.
 */
export function reportClose(diagnostics: Diagnostics, stats: DeliveryStats, facts: CloseFacts): void {
  if (facts.timedOut) {
    const fate = facts.keptIn === undefined ? '' : `; kept in ${facts.keptIn} for the next start`
    diagnostics.always(
      `close: ${facts.undelivered} records not delivered to ${facts.target} within closeTimeoutMs (${facts.closeTimeoutMs} ms)${fate}; last problem: ${facts.lastProblem ?? 'the request did not finish'}`,
    )
  }
  const summary = closedSummary(stats)
  if (summary !== undefined) diagnostics.always(summary)
}
