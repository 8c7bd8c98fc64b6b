// stdout closed by its reader (`node app.js | head`): every later write fails with EPIPE. The
// application must neither hang nor crash: sonic-boom's flushSync retries any error forever,
// so console stops writing at the first failure, counts the rest as dropped and says so once.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, tempDir } from '../helpers/child.ts'

for (const useQueue of [false, true]) {
  for (const memory of [false, true]) {
    t.test(`use_queue ${useQueue}, memory buffer ${memory}: exits at once, the loss reported once`, async (t) => {
      const script = join(tempDir(), 'app.mjs')
      writeFileSync(
        script,
        `
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'epipe', use_queue: ${useQueue}, use_memory_handler: ${memory}, memory_capacity: 10 })
for (let i = 0; i < 2000; i++) logger.info({ i }, 'line')
setTimeout(() => {
  for (let i = 0; i < 2000; i++) logger.info({ i }, 'line')
  process.exit(0)
}, 300)
`,
      )
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
      // The reader goes away after the first bytes, as `head` does.
      child.stdout.once('data', () => child.stdout.destroy())
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d
      })
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
        child.on('close', (c, s) => resolve([c, s])),
      )
      clearTimeout(timer)
      t.equal(signal, null, 'not killed: it ended by itself')
      t.equal(code, 0, stderr)
      t.equal(stderr.match(/EPIPE/g)?.length, 1, 'reported once')
      t.match(stderr, /pino-advanced\/get-logger \(console\): stdout: EPIPE: broken pipe, write; records dropped/)
    })
  }
}
