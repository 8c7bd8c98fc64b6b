import { EventEmitter } from 'node:events'
import { closeSync, existsSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { intervalMs, nextRollover, rolloverSuffix, suffixPattern, type TimedSchedule } from './timed-schedule.js'

/** Python's RotatingFileHandler (by size) or TimedRotatingFileHandler (by time). */
export type RotationPolicy =
  | { readonly kind: 'size'; readonly maxBytes: number; readonly backupCount: number }
  | { readonly kind: 'time'; readonly schedule: TimedSchedule; readonly backupCount: number }

const NEWLINE = 0x0a

/**
 * A log file that rotates as Python's handlers do, written synchronously (on the application's
 * thread, as the plain file is; in a worker, where blocking on disk costs the application
 * nothing): a chunk of whole lines is written in one call, and a rotation only ever falls
 * between two lines, so no record is split or lost across it. By size: `app.log` then
 * `app.log.1` (the newest) ... `app.log.N`, the oldest removed, before a line that would take the
 * file to maxBytes; by time: `app.log.2026-12-03` (Python's suffixes), the oldest beyond
 * backupCount removed. A rotation that fails (a rename refused) is reported and writing goes
 * on into the same file; a write that fails emits 'error', as sonic-boom does.
 */
export class RotatingFile extends EventEmitter {
  #fd: number
  #size: number
  #rolloverAt: number

  constructor(
    readonly path: string,
    readonly policy: RotationPolicy,
    private readonly report: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    super()
    this.#fd = openSync(path, 'a')
    const stat = statSync(path)
    this.#size = stat.size
    // As Python: a file that exists keeps its schedule from when it was last written.
    this.#rolloverAt =
      policy.kind === 'time' ? nextRollover(policy.schedule, stat.size > 0 ? stat.mtimeMs : now()) : Infinity
  }

  write(chunk: string | Buffer): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    try {
      if (this.policy.kind === 'time') {
        if (this.now() >= this.#rolloverAt) this.#rotateByTime(this.policy.schedule)
        this.#append(bytes, 0, bytes.length)
      } else {
        this.#writeBySize(bytes, this.policy.maxBytes)
      }
    } catch (err) {
      this.emit('error', err)
    }
    return true
  }

  /** Writes are synchronous: nothing is ever held. */
  flushSync(): void {}

  end(): void {
    closeSync(this.#fd)
    process.nextTick(() => this.emit('close'))
  }

  /** Lines that fit go in; before a line that would reach maxBytes, the file rotates. */
  #writeBySize(bytes: Buffer, maxBytes: number): void {
    // Python: no rollover when maxBytes or backupCount is 0.
    if (maxBytes === 0 || this.policy.backupCount === 0 || this.#size + bytes.length < maxBytes) {
      this.#append(bytes, 0, bytes.length)
      return
    }
    let start = 0
    let end = 0
    while (end < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, end)
      const next = newline === -1 ? bytes.length : newline + 1
      // The run so far plus this line would reach the bound: write the run, rotate (never an
      // empty file: a line longer than maxBytes goes alone into a file of its own).
      if (this.#size + (next - start) >= maxBytes && this.#size + (end - start) > 0) {
        this.#append(bytes, start, end)
        this.#rotateBySize()
        start = end
      }
      end = next
    }
    this.#append(bytes, start, end)
  }

  #append(bytes: Buffer, from: number, to: number): void {
    let at = from
    while (at < to) at += writeSync(this.#fd, bytes, at, to - at)
    this.#size += to - from
  }

  #rotateBySize(): void {
    const { backupCount } = this.policy
    this.#rotate(() => {
      for (let i = backupCount - 1; i > 0; i--) {
        const from = `${this.path}.${i}`
        if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`)
      }
      renameSync(this.path, `${this.path}.1`)
    })
  }

  #rotateByTime(schedule: TimedSchedule): void {
    const start = this.#rolloverAt - intervalMs(schedule)
    this.#rotate(() => {
      renameSync(this.path, `${this.path}.${rolloverSuffix(schedule, start)}`)
      this.#removeOldest(schedule)
    })
    // From now: a file idle for several intervals rotates once, as in Python.
    this.#rolloverAt = nextRollover(schedule, this.now())
  }

  /** The file is closed, renamed away (by `move`) and opened anew, empty. */
  #rotate(move: () => void): void {
    closeSync(this.#fd)
    try {
      move()
    } catch (err) {
      this.report(`${this.path}: rotation failed (${(err as Error).message}); writing on into the same file`)
    }
    this.#fd = openSync(this.path, 'a')
    this.#size = statSync(this.path).size
  }

  #removeOldest(schedule: TimedSchedule): void {
    const { backupCount } = this.policy
    if (backupCount === 0) return
    const prefix = `${basename(this.path)}.`
    const pattern = suffixPattern(schedule.when)
    const rotated = readdirSync(dirname(this.path))
      .filter((name) => name.startsWith(prefix) && pattern.test(name.slice(prefix.length)))
      .sort()
    for (const name of rotated.slice(0, Math.max(0, rotated.length - backupCount))) {
      unlinkSync(join(dirname(this.path), name))
    }
  }
}
