/**
 * Runs a plain ESM script in a child process and collects what it printed.
 *
 *   const { code, stdout, stderr } = await runScript(`...`, { timeoutMs: 20_000 })
 *
 * The script is written to a fresh temp dir (returned as `dir`, with `file(name)` for paths
 * in it) and may import the built packages through `pkg(name)`, which gives the file URL of
 * a package's dist entry. The child is killed at `timeoutMs`, and the result says so.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = new URL('../../', import.meta.url)

/** The file URL of a workspace package's built entry, for `import` in child scripts. */
export function pkg(name: 'core' | 'memory-buffer' | 'http-async' | 'smtp-async' | 'get-logger'): string {
  return new URL(`packages/${name}/dist/index.js`, root).href
}

/** The file URL of a dependency as the workspace root resolves it (pino, say). */
export function dep(name: string): string {
  return import.meta.resolve(name)
}

export function tempDir(prefix = 'pa-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface ScriptResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
}

export interface RunOptions {
  readonly timeoutMs?: number
  readonly dir?: string
  readonly env?: NodeJS.ProcessEnv
  /** Called with the child once spawned (to send it a signal, say). */
  readonly onSpawn?: (child: import('node:child_process').ChildProcess) => void
}

export function runScript(source: string, options: RunOptions = {}): Promise<ScriptResult> {
  const dir = options.dir ?? tempDir()
  const file = join(dir, `script-${process.hrtime.bigint()}.mjs`)
  writeFileSync(file, source)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [pathToFileURL(file).pathname], {
      cwd: dir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 30_000)
    options.onSpawn?.(child)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut })
    })
  })
}

/** pino lines of an output, parsed (non-JSON lines are skipped). */
export function records(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}
