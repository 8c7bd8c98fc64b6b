// Benchmark: getLogger's rotating files (issue 18) beside a plain file, at a high record rate.
// Run after a build: pnpm build && node bench/rotation.mjs
// Prints a Markdown section (bench/run.mjs collects it into docs/benchmarks.md).
//
// Each round, a fresh child process: getLogger({ use_queue, file | rotating_file |
// timed_rotating_file }) logs RECORDS records as fast as it can, then shutdown(); timed from
// the first log call to the end of the shutdown. Then every file is read back, oldest first:
// each record must be there exactly once, in order, and no line may be split.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, median, spread } from './lib/rounds.mjs'

const entry = fileURLToPath(new URL('../packages/get-logger/dist/index.js', import.meta.url))
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

const cases = [
  { name: 'file', option: (f) => ({ file: f }) },
  {
    name: 'rotating_file, max_bytes 1 MiB',
    option: (f) => ({ rotating_file: { filename: f, max_bytes: 1 << 20, backup_count: 10_000 } }),
  },
  // Five times the records: a round lasts a few seconds, so that it rotates several times.
  {
    name: "timed_rotating_file, when 'S' (5x the records)",
    records: RECORDS * 5,
    option: (f) => ({ timed_rotating_file: { filename: f, when: 'S', backup_count: 0 } }),
  },
]

function run(kase, useQueue) {
  const records = kase.records ?? RECORDS
  const dir = mkdtempSync(join(tmpdir(), 'pa-bench-rot-'))
  const filename = join(dir, 'app.log')
  const options = { name: 'bench', console: false, use_queue: useQueue, ...kase.option(filename) }
  const script = `
    import { getLogger, shutdown } from ${JSON.stringify(entry)}
    const logger = getLogger(${JSON.stringify(options)})
    const start = performance.now()
    for (let i = 0; i < ${records}; i++) logger.info({ i, user: 'ada', path: '/api/items' }, 'request handled')
    await shutdown()
    console.log(performance.now() - start)
  `
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(child.stderr)
  const ms = Number(child.stdout.trim())
  // Oldest first: numbered backups from the highest, dated ones by name, then the live file.
  const names = readdirSync(dir)
  const rank = (n) => (n === 'app.log' ? Number.POSITIVE_INFINITY : /^app\.log\.\d+$/.test(n) ? -Number(n.slice(8)) : 0)
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
  let next = 0
  let split = 0
  let misplaced = 0
  for (const name of names) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue
      try {
        const { i } = JSON.parse(line)
        if (i !== next) misplaced++
        next = i + 1
      } catch {
        split++
      }
    }
  }
  rmSync(dir, { recursive: true, force: true })
  return { ms, records, files: names.length, lost: records - next + misplaced, split }
}

const rows = []
for (const useQueue of [false, true]) {
  const results = cases.map(() => [])
  run(cases[0], useQueue) // warm-up
  for (let r = 0; r < ROUNDS; r++) for (const [k, kase] of cases.entries()) results[k].push(run(kase, useQueue))
  const base = median(results[0].map((x) => x.records / x.ms))
  for (const [k, kase] of cases.entries()) {
    const rates = results[k].map((x) => (x.records / x.ms) * 1000)
    const worst = (key) => Math.max(...results[k].map((x) => x[key]))
    rows.push(
      `| ${useQueue ? 'true' : 'false'} | ${kase.name} | ${fmt(median(rates))} (${spread(rates)}) | ${(median(rates) / 1000 / base).toFixed(2)} | ${fmt(median(results[k].map((x) => x.files)))} | ${worst('lost')} | ${worst('split')} |`,
    )
  }
}

console.log(`## Rotating files (issue 18)

getLogger with \`console: false\` and one file destination; ${fmt(RECORDS)} records per round logged as fast as the
loop runs, timed from the first log call to the end of \`shutdown()\`; each round a fresh process, ${ROUNDS} rounds
alternating after a warm-up; medians (spread). Afterwards every file is read back oldest first: "lost or
out of order" counts records missing, doubled or misplaced, "split" lines that do not parse (worst round).
Command: \`pnpm build && node bench/rotation.mjs\`.

| use_queue | destination | records/s | of the plain file's | files at the end | lost or out of order | split |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`)
