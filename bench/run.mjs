// pnpm bench: runs every benchmark in bench/ (each a standalone script printing a Markdown
// section with its ratios), one after the other so they do not compete for the 2 cores, and
// writes the results with the machine and versions to docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

/** A package's version, as installed in the node_modules folder `dir` (relative to bench/). */
function version(name, dir = '../node_modules/') {
  try {
    return JSON.parse(readFileSync(new URL(`${dir}${name}/package.json`, import.meta.url))).version
  } catch {
    return 'not installed'
  }
}
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'no python3'
const peers = ['pino-http-send', 'pino-loki', '@logtail/pino', 'pino-elasticsearch']
const sections = [
  '# Benchmarks',
  '',
  'Every figure is a ratio measured side by side in the same run (absolute times on a shared',
  '2-core machine drift). Regenerate with `pnpm bench` (or `pnpm bench <name>` for one script).',
  '',
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; pino ${version('pino')};`,
  `undici ${version('undici', '../packages/http-async/node_modules/')}; nodemailer ${version('nodemailer', '../packages/smtp-async/node_modules/')};`,
  `peers: ${peers.map((p) => `${p} ${version(p, './node_modules/')}`).join(', ')}; ${python}.`,
  `Run: ${new Date().toISOString().slice(0, 10)}.`,
  '',
]

for (const script of scripts) {
  console.error(`bench: ${script}`)
  const run = spawnSync(process.execPath, ['--expose-gc', `${here}${script}`], { encoding: 'utf8', timeout: 600_000 })
  process.stderr.write(run.stderr)
  process.stdout.write(run.stdout)
  const out = run.stdout.trim()
  // A script that prints plain lines gets a heading and a code block.
  const section = out.startsWith('## ') ? out : `## ${script}\n\n\`\`\`\n${out}\n\`\`\``
  sections.push(run.status === 0 ? section : `## ${script}\n\nFailed (exit ${run.status}).`, '')
}

if (only.length === 0) {
  const page = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))
  writeFileSync(page, `${sections.join('\n')}\n`)
  // The page is checked by the linter like every other file: write it formatted.
  spawnSync('pnpm', ['exec', 'biome', 'format', '--write', page], { stdio: 'ignore' })
}
