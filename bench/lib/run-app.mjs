// Runs bench/lib/app.mjs (the application process) with a config and waits, within a bound,
// for its exit; resolves with its report (the last line on its stdout) and its stderr (the
// transports' diagnostics: a close that timed out, a worker that failed), collected line by
// line and passed on to ours.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { within } from './load.mjs'

const APP = fileURLToPath(new URL('./app.mjs', import.meta.url))

export async function runApp(config, boundMs = 120_000) {
  const child = spawn(process.execPath, ['--expose-gc', APP, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr = []
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line)
    process.stderr.write(`${line}\n`)
  })
  const stdout = []
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line))
  try {
    const [code] = await within(once(child, 'close'), boundMs, 'bench/lib/app.mjs')
    if (code !== 0 || stdout.length === 0) throw new Error(`bench/lib/app.mjs exited with ${code}, no report`)
    return { ...JSON.parse(stdout.at(-1)), stderr }
  } catch (err) {
    child.kill()
    throw new Error(`${err.message}${stderr.length > 0 ? `; its stderr: ${stderr.join(' | ')}` : ''}`)
  }
}
