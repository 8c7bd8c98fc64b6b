// Cases for matrix-*.test.ts: every combination of getLogger's options, use_queue x
// use_memory_handler x each handler's async x console x file. One child process per
// (use_queue, use_memory_handler, console) runs the 8 loggers of the other options side by
// side (one name each); the test checks, destination by destination, exactly which records
// arrived, in which order, and what the memory buffers held at each step.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DeliveryStats } from '@pino-advanced/core'
import type { Test } from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { startSmtpSink } from '../../../test/helpers/smtp-sink.ts'

/** The records, in phases: [level, id]. The logger's level is debug, HTTP's info, SMTP's error. */
const PHASES = [
  // Below capacity (4) and the flush level (error): held by every memory buffer.
  [
    ['debug', 0],
    ['info', 1],
    ['warn', 2],
  ],
  // The fourth record at debug: console's and file's buffers are full and release.
  [['info', 3]],
  // An error: every buffer releases, itself included.
  [['error', 4]],
  // Held again until the end of the process.
  [
    ['debug', 5],
    ['info', 6],
    ['warn', 7],
  ],
] as const

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const
const ALL = PHASES.flat()
const ids = (min: number) => ALL.filter(([level]) => LEVELS[level] >= min).map(([, id]) => id)

/** What each memory buffer holds after each phase: [received, delivered, buffered]. */
const HELD = {
  debug: [
    [3, 0, 3],
    [4, 4, 0],
    [5, 5, 0],
    [8, 5, 3],
  ],
  info: [
    [2, 0, 2],
    [3, 0, 3],
    [4, 4, 0],
    [6, 4, 2],
  ],
  error: [
    [0, 0, 0],
    [0, 0, 0],
    [1, 1, 0],
    [1, 1, 0],
  ],
} as const

interface Combination {
  readonly name: string
  readonly console: boolean
  readonly file: boolean
  readonly httpAsync: boolean
  readonly smtpAsync: boolean
}

const COMBINATIONS: readonly Combination[] = [false, true].flatMap((console) =>
  [false, true].flatMap((file) =>
    [false, true].flatMap((httpAsync) =>
      [false, true].map((smtpAsync) => ({
        name: `c${+console}f${+file}h${+httpAsync}s${+smtpAsync}`,
        console,
        file,
        httpAsync,
        smtpAsync,
      })),
    ),
  ),
)

export async function matrix(t: Test, useQueue: boolean, memory: boolean, withConsole: boolean): Promise<void> {
  // Under use_queue every destination runs in the worker whatever a handler's `async` says:
  // both handlers async, and both not, show that; the mixed two would repeat them.
  const combinations = COMBINATIONS.filter(
    (c) => c.console === withConsole && (!useQueue || c.httpAsync === c.smtpAsync),
  )
  const http = await startHttpSink()
  const smtp = await startSmtpSink()
  t.teardown(async () => {
    await http.close()
    await smtp.close()
  })
  const dir = tempDir()
  const loggers = combinations.map((c) => ({
    name: c.name,
    options: {
      name: c.name,
      level: 'debug',
      console: c.console,
      ...(c.file ? { file: join(dir, `${c.name}.log`) } : {}),
      use_queue: useQueue,
      use_memory_handler: memory,
      memory_capacity: 4,
      memory_flush_level: 'ERROR',
      http_handler: { url: `${http.url}?logger=${c.name}`, async: c.httpAsync, level: 'info', flushIntervalMs: 10 },
      smtp_handler: {
        mailhost: ['127.0.0.1', smtp.port],
        fromaddr: 'app@example.com',
        toaddrs: 'ops@example.com',
        subject: '{name}: {msg}',
        async: c.smtpAsync,
      },
    },
  }))
  // Each phase: log, then wait until every memory buffer counted what it was given (their
  // counts cross from the worker at most once a second), then print getStats().
  const out = await runScript(
    `
import { getLogger, getStats, shutdown } from ${JSON.stringify(pkg('get-logger'))}
const loggers = ${JSON.stringify(loggers)}.map(({ options }) => getLogger(options))
const phases = ${JSON.stringify(PHASES)}
const expected = ${JSON.stringify(memory ? HELD : null)}
const min = { console: 'debug', file: 'debug', http: 'info', smtp: 'error' }
let i = 0
function counted(phase) {
  if (!expected) return true
  const stats = getStats()
  return Object.entries(stats).every(([name, dests]) =>
    Object.entries(min).every(([dest, level]) => {
      const s = dests['memory-buffer:' + dest]
      const want = expected[level][phase][0]
      if (dest === 'console' && !name.startsWith('c1')) return true
      if (dest === 'file' && !name.includes('f1')) return true
      return want === 0 ? true : s?.received === want
    }),
  )
}
for (const [phase, records] of phases.entries()) {
  for (const logger of loggers) for (const [level, id] of records) logger[level]({ id }, 'record ' + id)
  const started = Date.now()
  while (!counted(phase) && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 20))
  process.stderr.write('STATS ' + JSON.stringify(getStats()) + '\\n')
}
await shutdown()
`,
    { timeoutMs: 60_000 },
  )
  t.equal(out.code, 0, out.stderr)
  t.notMatch(out.stderr, /not delivered|not mailed|not written|failed|Warning/, 'nothing lost, nothing reported')
  const checkpoints = out.stderr
    .split('\n')
    .filter((l) => l.startsWith('STATS '))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, Record<string, DeliveryStats>>)
  t.equal(checkpoints.length, PHASES.length)
  const consoleRecords = records(out.stdout)
  await smtp.waitForMessages(combinations.length, 10_000)

  for (const c of combinations) {
    const got = {
      console: consoleRecords.filter((r) => r.name === c.name).map((r) => r.id),
      file: c.file ? records(readFileSync(join(dir, `${c.name}.log`), 'utf8')).map((r) => r.id) : [],
      http: http.requests
        .filter((req) => req.url.endsWith(`?logger=${c.name}`))
        .flatMap((req) => (JSON.parse(req.body) as { id: number }[]).map((r) => r.id)),
      smtp: smtp.messages.filter((m) => m.subject?.startsWith(`${c.name}:`)).map((m) => m.subject),
    }
    t.same(
      got,
      {
        console: c.console ? ids(LEVELS.debug) : [],
        file: c.file ? ids(LEVELS.debug) : [],
        http: ids(LEVELS.info),
        smtp: [`${c.name}: record 4`],
      },
      `${c.name}: every destination got exactly its records, in order`,
    )
    // A buffer that was given nothing yet has published nothing: [0, 0, 0].
    const held = (dest: string) =>
      checkpoints.map((stats) => {
        const s = stats[c.name]?.[`memory-buffer:${dest}`]
        return s === undefined ? [0, 0, 0] : [s.received, s.delivered, s.buffered]
      })
    const want = (level: keyof typeof HELD) => (memory ? HELD[level] : PHASES.map(() => [0, 0, 0]))
    t.same(
      {
        console: c.console ? held('console') : [],
        file: c.file ? held('file') : [],
        http: held('http'),
        smtp: held('smtp'),
      },
      {
        console: c.console ? want('debug') : [],
        file: c.file ? want('debug') : [],
        http: want('info'),
        smtp: want('error'),
      },
      `${c.name}: each memory buffer held exactly what its capacity and flush level say, phase by phase`,
    )
  }
}
