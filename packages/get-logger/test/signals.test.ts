import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

t.test('handleSignals installs one SIGTERM/SIGINT handler; shutdown removes it', async (t) => {
  const listeners = () => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]
  const [term = 0, int = 0] = listeners()
  const registry = new LoggerRegistry()
  registry.getLogger({ name: 'sig-a', console: false, handleSignals: true })
  registry.getLogger({ name: 'sig-b', console: false, handle_signals: true })
  registry.getLogger({ name: 'sig-c', console: false })
  t.same(listeners(), [term + 1, int + 1])
  await registry.shutdown()
  t.same(listeners(), [term, int])
  await registry.shutdown()
})

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  for (const useQueue of [false, true]) {
    t.test(
      `${signal} with handleSignals (use_queue ${useQueue}): every record delivered, then exit ${code}`,
      async (t) => {
        const sink = await startHttpSink()
        t.teardown(() => sink.close())
        const file = join(tempDir(), 'app.log')
        const out = await runScript(
          `
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'sig', file: ${JSON.stringify(file)}, use_queue: ${useQueue}, handleSignals: true,
  use_memory_handler: true, http_handler: { url: ${JSON.stringify(sink.url)}, flushIntervalMs: 60000 } })
for (let i = 0; i < 20; i++) logger.info({ i }, 'before the signal')
setInterval(() => {}, 1000) // a server, say: only the signal ends this process
process.stderr.write('ready\\n')
`,
          {
            timeoutMs: 20_000,
            onSpawn: (child) =>
              child.stderr?.on('data', (d: Buffer) => {
                if (String(d).includes('ready')) child.kill(signal)
              }),
          },
        )
        t.notOk(out.timedOut)
        t.equal(out.code, code, out.stderr)
        const want = Array.from({ length: 20 }, (_, i) => i)
        t.same(
          records(out.stdout).map((r) => r.i),
          want,
          'console',
        )
        t.same(
          records(readFileSync(file, 'utf8')).map((r) => r.i),
          want,
          'file',
        )
        t.same(
          sink.records.map((r) => r.i),
          want,
          'HTTP: the held batch and the memory buffer were released by the shutdown',
        )
      },
    )
  }
}

t.test(
  "SIGTERM with the application's own async cleanup: it runs, what it logs is delivered, then exit 143",
  async (t) => {
    const sink = await startHttpSink()
    t.teardown(() => sink.close())
    const file = join(tempDir(), 'app.log')
    const out = await runScript(
      `
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'sig', console: false, file: ${JSON.stringify(file)}, handleSignals: true,
  http_handler: { url: ${JSON.stringify(sink.url)}, flushIntervalMs: 60000 } })
const server = setInterval(() => {}, 1000)
process.on('SIGTERM', async () => {
  logger.info({ step: 'cleanup started' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  logger.info({ step: 'cleanup done' })
  clearInterval(server)
})
logger.info({ step: 'serving' })
process.stderr.write('ready\\n')
`,
      {
        timeoutMs: 20_000,
        onSpawn: (child) =>
          child.stderr?.on('data', (d: Buffer) => {
            if (String(d).includes('ready')) child.kill('SIGTERM')
          }),
      },
    )
    t.notOk(out.timedOut)
    t.equal(out.code, 143, out.stderr)
    const want = ['serving', 'cleanup started', 'cleanup done']
    t.same(
      [records(readFileSync(file, 'utf8')).map((r) => r.step), sink.records.map((r) => r.step)],
      [want, want],
      'file and HTTP have the cleanup records too',
    )
  },
)

t.test('a cleanup that never lets the process end is cut off after 5 s: the shutdown still delivers', async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const started = Date.now()
  const out = await runScript(
    `
import { getLogger } from ${JSON.stringify(pkg('get-logger'))}
const logger = getLogger({ name: 'sig', console: false, handleSignals: true,
  http_handler: { url: ${JSON.stringify(sink.url)}, flushIntervalMs: 60000 } })
setInterval(() => {}, 1000)
process.on('SIGTERM', () => logger.info({ step: 'cleanup started, never finished' }))
process.stderr.write('ready\\n')
`,
    {
      timeoutMs: 20_000,
      onSpawn: (child) =>
        child.stderr?.on('data', (d: Buffer) => {
          if (String(d).includes('ready')) child.kill('SIGTERM')
        }),
    },
  )
  t.notOk(out.timedOut)
  t.equal(out.code, 143, out.stderr)
  t.ok(Date.now() - started >= 5000, 'the cleanup had its 5 s')
  t.same(
    sink.records.map((r) => r.step),
    ['cleanup started, never finished'],
  )
})

t.test(
  'in process: alone it shuts down and exits at once; beside an application listener it waits for the loop to run dry',
  async (t) => {
    const saved = process.listeners('SIGTERM')
    const exit = process.exit
    t.teardown(() => {
      process.exit = exit
      process.removeAllListeners('SIGTERM')
      for (const listener of saved) process.on('SIGTERM', listener)
    })
    const exits: number[] = []
    let exited!: () => void
    process.exit = ((code: number) => {
      exits.push(code)
      exited()
    }) as typeof process.exit
    const signal = async (prepare: () => void) => {
      const done = new Promise<void>((resolve) => {
        exited = resolve
      })
      process.removeAllListeners('SIGTERM')
      const registry = new LoggerRegistry()
      registry.getLogger({ name: 'in-process', console: false, handleSignals: true })
      prepare()
      process.emit('SIGTERM', 'SIGTERM')
      return done
    }
    await signal(() => {})
    t.same(exits, [143], 'no other listener: exit 143 after the shutdown')
    const steps: string[] = []
    const waiting = signal(() => process.on('SIGTERM', () => steps.push('the application cleans up')))
    await new Promise((resolve) => setImmediate(resolve))
    t.same(exits, [143], 'beside an application listener: not yet')
    process.emit('beforeExit', 0)
    await waiting
    t.same([steps, exits], [['the application cleans up'], [143, 143]], 'then once the loop ran dry')
  },
)
