// The counting HTTP sink (bench/sinks/http-sink.mjs) as a separate process, for the benchmarks
// that need one: started with its flags (e.g. ['--delay-ms', '50']), asked for its counts, and
// stopped (stdin ended: it answers nothing more and prints its final counts).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { within } from './load.mjs'

const SCRIPT = fileURLToPath(new URL('../sinks/http-sink.mjs', import.meta.url))
const START_MS = 10_000

export async function startHttpSink(args = []) {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const [first] = await within(once(lines, 'line'), START_MS, `http-sink ${args.join(' ')}`)
  const origin = `http://127.0.0.1:${JSON.parse(first).port}`
  return {
    origin,
    url: `${origin}/log`,
    /** What it counted so far: { records, requests }. */
    async count() {
      const res = await fetch(`${origin}/count`)
      return res.json()
    },
    /** Ends it; resolves with its final { records, requests }. */
    async stop() {
      const last = once(lines, 'line')
      child.stdin.end()
      const [counts] = await within(last, START_MS, 'http-sink stop')
      if (child.exitCode === null) await within(once(child, 'close'), START_MS, 'http-sink exit')
      return JSON.parse(counts)
    },
  }
}
