/**
 * The time limits the packages share, each written once with why it is what it is.
 */

/**
 * How long pino's worker gets to end on exit: thread-stream's `end()` destroys the stream
 * after 10 s ("end() took too long (10s)"), so every close must finish well before.
 */
export const PINO_EXIT_BUDGET_MS = 10_000

/** Node's timers take at most 2^31 - 1 ms: a longer delay overflows and fires at once. */
export const MAX_TIMER_MS = 2_147_483_647

/**
 * The longest `closeTimeoutMs` a transport accepts: under PINO_EXIT_BUDGET_MS, with half a
 * second left for the worker to report and end; a longer close would be cut short.
 */
export const MAX_CLOSE_MS = 9_500

/**
 * The longest getLogger's shutdown waits for a transport before it moves on: under
 * PINO_EXIT_BUDGET_MS, with a second to spare for the process to end.
 */
export const SHUTDOWN_DEADLINE_MS = 9000

/** The handlers' default `closeTimeoutMs`, and console's and file's close deadline. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000
