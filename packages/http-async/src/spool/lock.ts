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
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'lock')
  // Written whole under a name of its own, then linked into place: link(2) fails if the lock
  // exists, and a lock is never seen without its pid.
  const mine = join(dir, `lock.${process.pid}.${threadId}`)
  writeFileSync(mine, String(process.pid))
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
    // Stale (its process was killed) or unreadable: take it over. Gone meanwhile (another
    // process took it over first) is fine too: `force`; anything else (a directory) throws.
    try {
      rmSync(path, { force: true })
    } catch (err) {
      unlinkSync(mine)
      throw err
    }
  }
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
