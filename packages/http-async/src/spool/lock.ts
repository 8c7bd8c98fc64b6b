import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, ErrorCodes } from '@pino-advanced/core'

/**
 * One writer per spool directory: two processes appending to the same segments would
 * interleave and acknowledge each other's records. The lock is a file holding the owner's
 * pid, created exclusively; a lock whose process is gone (killed) is stale and taken over.
 * Within one process a second transport on the same directory is refused too.
 */
export function acquireSpoolLock(dir: string, option: string): () => void {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'lock')
  for (;;) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => unlinkSync(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = Number.parseInt(readOwner(path), 10)
    if (Number.isInteger(owner) && alive(owner)) {
      throw new ConfigError(
        ErrorCodes.SPOOL_IN_USE,
        option,
        `${option}: ${dir} is in use by process ${owner}${owner === process.pid ? ' (this one: another transport)' : ''}; give each transport its own spool directory`,
      )
    }
    // Stale (its process was killed) or unreadable: take it over.
    try {
      unlinkSync(path)
    } catch {
      // Another process took it over first: try again.
    }
  }
}

function readOwner(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
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
