// pnpm demo: runs the example app through getLogger in each documented mode and shows what
// each destination received.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = fileURLToPath(new URL('app.mjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'pino-advanced-demo-'))

const show = (label, text) => {
  const lines = text.split('\n').filter((l) => l.startsWith('{'))
  console.log(`  ${label} received ${lines.length} record(s):`)
  for (const line of lines) {
    const r = JSON.parse(line)
    console.log(`    level ${r.level}  ${r.name ?? ''}  ${r.msg}`)
  }
}

const scenarios = [
  ['queue', 'use_queue: true (every destination in one worker thread)'],
  ['memory', 'use_memory_handler: true, memory_capacity: 100, memory_flush_level: ERROR'],
  ['exit', 'use_queue + use_memory_handler, then process.exit(0) right after logging'],
]

for (const [name, title] of scenarios) {
  const file = join(dir, `${name}.log`)
  const run = spawnSync(process.execPath, [app, name, file], { encoding: 'utf8', timeout: 30_000 })
  console.log(`\n== ${title}`)
  show('console', run.stdout)
  show(`file ${file}`, readFileSync(file, 'utf8'))
  if (run.stderr.trim()) console.log(`  stderr: ${run.stderr.trim()}`)
}
