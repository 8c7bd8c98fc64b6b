import { after, type Clock } from '@pino-advanced/core'

const HOUR_MS = 3_600_000
/** Distinct messages tallied for a digest's summary; the rest count as other messages. */
const MAX_TALLIED_MESSAGES = 100
export const OTHER_MESSAGES = '(other messages)'

/** One mail's worth of records: the first ones in full, the rest counted by message. */
export class Digest {
  readonly listed: string[] = []
  readonly tally = new Map<string, number>()
  #unlisted = 0

  constructor(private readonly maxListed: number) {}

  add(line: string, msg: string): void {
    if (this.listed.length < this.maxListed) {
      this.listed.push(line)
      return
    }
    this.#unlisted++
    const key = this.tally.has(msg) || this.tally.size < MAX_TALLIED_MESSAGES ? msg : OTHER_MESSAGES
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1)
  }

  /** Records beyond the listed ones, only counted. */
  get unlisted(): number {
    return this.#unlisted
  }

  /** Every record this mail accounts for. */
  get count(): number {
    return this.listed.length + this.#unlisted
  }
}

export interface StormRules {
  readonly groupIntervalMs: number
  readonly maxEmailsPerHour: number
  readonly maxRecordsPerEmail: number
}

/**
 * Storm control. The first record after a quiet period is mailed at once; records that follow
 * within `groupIntervalMs` of a mail are folded into one digest, mailed when that interval
 * ends; no more than `maxEmailsPerHour` mails leave in any hour (a sliding window): past the cap
 * records keep folding into the pending digest until a mail may leave. Nothing is dropped here.
 */
export class StormControl {
  #pending: Digest | undefined
  /** A mail left less than groupIntervalMs ago, or the hourly cap holds one back. */
  #holding = false
  #cancel: (() => void) | undefined
  readonly #sentAt: number[] = []

  constructor(
    private readonly rules: StormRules,
    private readonly clock: Clock,
    private readonly mail: (digest: Digest) => void,
  ) {}

  add(line: string, msg: string): void {
    this.#pending ??= new Digest(this.rules.maxRecordsPerEmail)
    this.#pending.add(line, msg)
    if (!this.#holding) this.#release()
  }

  /** Records waiting for the next mail. */
  get pending(): number {
    return this.#pending?.count ?? 0
  }

  /** Close: whatever is pending, now, regardless of the interval and the cap. */
  takePending(): Digest | undefined {
    this.#cancel?.()
    this.#cancel = undefined
    this.#holding = false
    const digest = this.#pending
    this.#pending = undefined
    return digest
  }

  #release(): void {
    this.#cancel = undefined
    const digest = this.#pending
    if (digest === undefined) {
      // A whole interval passed with nothing to send: quiet again.
      this.#holding = false
      return
    }
    const now = this.clock.now()
    while (this.#sentAt.length > 0 && (this.#sentAt[0] as number) <= now - HOUR_MS) this.#sentAt.shift()
    this.#holding = true
    if (this.#sentAt.length >= this.rules.maxEmailsPerHour) {
      this.#cancel = after(this.clock, (this.#sentAt[0] as number) + HOUR_MS - now, () => this.#release())
      return
    }
    this.#pending = undefined
    this.#sentAt.push(now)
    this.#cancel = after(this.clock, this.rules.groupIntervalMs, () => this.#release())
    this.mail(digest)
  }
}
