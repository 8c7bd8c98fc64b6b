/**
 * What a transport on the application's thread (a getLogger handler with `async: false`) had
 * not delivered when the process exits. After process.exit() or an uncaught exception its
 * event loop is gone; getLogger hands this, as plain data, to a short-lived child process,
 * which gives it to the package's `deliverUnsent(options, unsent)`.
 */
export interface Unsent {
  /** pino lines, without their newline, oldest first. */
  readonly lines: readonly string[]
  /**
   * Records the transport keeps in a durable spool instead (http-async's `spool`): the child
   * opens the same spool and delivers them from there.
   */
  readonly spooled?: number
}

/** A transport that can say what it has not delivered yet (see Unsent). */
export interface UnsentSource<U extends Unsent = Unsent> {
  takeUnsent(): U
}

/** The lines of a byte record `[offset, offset + size)` of each item, as text. */
export function itemLines(
  items: readonly (string | Uint8Array)[],
  offsets: Float64Array,
  sizes: Float64Array,
): string[] {
  return items.map((item, i) => {
    if (typeof item === 'string') return item
    const start = item.byteOffset + (offsets[i] as number)
    return Buffer.from(item.buffer, start, sizes[i] as number).toString('utf8')
  })
}
