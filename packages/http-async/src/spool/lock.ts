import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { SpoolInUseError } from '@pino-advanced/core'

/**
 * One writer per spool directory: two processes appending to the same segments would
 * interleave and acknowledge each other's records. The lock is a file holding the owner's
 * pid, created exclusively; a lock whose process is gone (killed) is stale and taken over.
 * Within one process a second transport on the same directory is refused too.
 */
export function acquireSpoolLock(dir: string, option: string, heir?: SpoolHeir): () => void {
  // Records are the application's data: only its user may read them.
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  const path = join(dir, 'lock')
  // Written whole under a name of its own, then linked into place: link(2) fails if the lock
  // exists, and a lock is never seen without its pid.
  const mine = join(dir, `lock.${process.pid}.${threadId}`)
  writeFileSync(mine, String(process.pid), { mode: FILE_MODE })
  let waits = 0
  for (;;) {
    try {
      linkSync(mine, path)
      unlinkSync(mine)
      // Forced: a directory removed under a failed spool has no lock left to remove.
      return () => rmSync(path, { force: true })
    } catch (err) {
      // EACCES or EROFS: the directory is not writable (tests run as root and cannot provoke it).
      /* c8 ignore next */
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = readOwner(path)
    if (owner !== undefined && owner !== heir?.of && alive(owner)) {
      unlinkSync(mine)
      throw new SpoolInUseError(
        option,
        owner,
        `${option}: ${dir} is in use by process ${owner}${owner === process.pid ? ' (this one: another transport)' : ''}; give each transport its own spool directory`,
      )
    }
    // Stale (its process was killed) or unreadable: take it over, then try again.
    let taker: number | undefined
    try {
      taker = takeOver(dir, path, owner, mine)
    } catch (err) {
      unlinkSync(mine)
      throw err
    }
    // A take-over by another process lasts microseconds; one that does not end is refused.
    if (taker !== undefined && ++waits > MAX_GUARD_WAITS) {
      unlinkSync(mine)
      throw new SpoolInUseError(
        option,
        taker,
        `${option}: ${dir} is being taken over by process ${taker}; give each transport its own spool directory`,
      )
    }
  }
}

// Waits of about 1 ms each for another process's take-over (see takeOver).
const MAX_GUARD_WAITS = 1000

/** Modes of what the spool creates: the directory and its files are the owner's alone. */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Removes a stale lock (held by `stale`, a pid that is gone) so that the caller can link its
 * own. Several processes may find the same stale lock at once: only the one that links the
 * take-over guard removes it, and only while it still holds `stale` (removing it blindly would
 * remove the lock another one has just taken). The others wait a moment and look again (and
 * say which process they waited for). A
 * guard left by a process killed mid-take-over is itself stale and cleared. Anything else
 * unexpected (the lock is a directory) throws.
 */
function takeOver(dir: string, path: string, stale: number | undefined, mine: string): number | undefined {
  const guard = join(dir, 'lock.takeover')
  try {
    linkSync(mine, guard)
  } catch (err) {
    // As for the lock itself: EACCES or EROFS cannot be provoked by tests running as root.
    /* c8 ignore next */
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    // Unreadable means just removed (a guard is linked whole): look again. Only a guard whose
    // process is gone is cleared; removing a live one would let two take over at once.
    const taker = readOwner(guard)
    if (taker !== undefined && !alive(taker)) {
      rmSync(guard, { force: true })
      return undefined
    }
    Atomics.wait(pause, 0, 0, 1)
    return taker
  }
  try {
    if (readOwner(path) === stale) rmSync(path, { force: true })
  } finally {
    rmSync(guard, { force: true })
  }
  return undefined
}

/**
 * The exit handoff's child takes the spool over from its parent: the parent is blocked until
 * the child ends and its event loop is gone, so it never touches the files again, though it
 * still holds the lock (a handler whose stream was built but not yet handed over).
 */
export interface SpoolHeir {
  /** The pid whose lock may be taken over. */
  readonly of: number
}

/** The owner's pid; undefined when the lock cannot be read or holds no pid. */
function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    return Number.isInteger(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
