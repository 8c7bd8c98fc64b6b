/**
 * The stdin/stdout/stderr a transport's command runs with in a test:
 *
 *   const { io, out, err } = cliIo(['{"level":50,"msg":"x"}\n'])
 *   await runCli(['--help'], io) // out / err collect what it wrote
 */
import { Readable } from 'node:stream'

export function cliIo(input: readonly string[] = []) {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: {
      stdin: Readable.from(input),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    },
  }
}
