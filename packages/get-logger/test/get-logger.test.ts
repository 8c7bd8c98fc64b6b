import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigError } from '@pino-advanced/core'
import t from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

const readRecords = (path: string) => records(readFileSync(path, 'utf8'))

t.test('console off, file on: records reach the file; shutdown closes it', async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'nested', 'app.log')
  const logger = registry.getLogger({ name: 'files', console: false, file, context: { service: 'api' } })
  logger.info('one')
  logger.debug('below the level')
  logger.warning('two')
  logger.critical('three')
  await registry.shutdown()
  const got = readRecords(file)
  t.same(
    got.map((r) => [r.level, r.msg, r.name, r.service]),
    [
      [30, 'one', 'files', 'api'],
      [40, 'two', 'files', 'api'],
      [60, 'three', 'files', 'api'],
    ],
  )
  logger.error('after shutdown: dropped, never thrown')
})

t.test('the same name gives the same logger; other options for it are an error naming the keys', async (t) => {
  const registry = new LoggerRegistry()
  t.teardown(() => registry.shutdown())
  const a = registry.getLogger({ name: 'same', console: false, level: 'warn' })
  t.equal(registry.getLogger({ name: 'same', console: false, level: 'WARNING' }), a, 'same after canonicalising')
  t.equal(registry.getLogger({ level: 'WARN', name: 'same', console: false }), a)
  const err = t.throws(() =>
    registry.getLogger({ name: 'same', console: false, level: 'error', file: '/tmp/x' }),
  ) as ConfigError
  t.equal(err.code, 'PA_CONFLICTING_OPTIONS')
  t.match(err.message, 'file, level')
  t.not(registry.getLogger({ name: 'other', console: false }), a)
  t.same(Object.keys(registry.getStats()).sort(), ['other', 'same'])
})

t.test('no destination at all: records go nowhere, quietly', async (t) => {
  const registry = new LoggerRegistry()
  const logger = registry.getLogger({ name: 'nowhere', console: false })
  logger.error('dropped by configuration')
  logger.critical('also dropped')
  await registry.shutdown()
  t.pass('nothing thrown')
})

t.test('bad options fail before anything starts', async (t) => {
  const registry = new LoggerRegistry()
  const err = t.throws(() => registry.getLogger({ name: 'typo', memory_capcity: 5 })) as ConfigError
  t.equal(err.code, 'PA_UNKNOWN_OPTION')
  t.same(registry.getStats(), {}, 'nothing was registered')
})

t.test('a memory buffer in front of the file holds records until capacity or the flush level', async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'buffered.log')
  const logger = registry.getLogger({
    name: 'buffered',
    console: false,
    file,
    level: 'debug',
    use_memory_handler: true,
    memory_capacity: 3,
    memory_flush_level: 'ERROR',
  })
  logger.debug('held 1')
  logger.info('held 2')
  await new Promise((r) => setImmediate(r))
  t.same(readRecords(file), [], 'nothing written while below capacity and flush level')
  logger.error('releases')
  await registry.shutdown()
  t.same(
    readRecords(file).map((r) => r.msg),
    ['held 1', 'held 2', 'releases'],
  )
})

// The documented examples (../shared/advanced-logging.md), in TypeScript, in child processes
// so that the worker, stdout and exit behave as in an application.
const example = (body: string) => `
import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
${body}
`

t.test('documented: asynchronous logging (use_queue)', async (t) => {
  const out = await runScript(
    example(`
const logger = getLogger({ name: 'myapp', use_queue: true })
logger.info('This log is handled asynchronously.')
`),
  )
  t.equal(out.code, 0, out.stderr)
  t.match(records(out.stdout), [{ level: 30, name: 'myapp', msg: 'This log is handled asynchronously.' }])
})

t.test('documented: batch/buffered logging (MemoryHandler)', async (t) => {
  const out = await runScript(
    example(`
const logger = getLogger({
  name: 'myapp',
  use_memory_handler: true,
  memory_capacity: 100,
  memory_flush_level: 'ERROR',
})
logger.debug('Buffered until capacity is reached.')
logger.error('This ERROR triggers an immediate flush.')
`),
  )
  t.equal(out.code, 0, out.stderr)
  // The logger's level is info (as in pino), so the debug record is below it: see docs.
  t.same(
    records(out.stdout).map((r) => [r.level, r.msg]),
    [[50, 'This ERROR triggers an immediate flush.']],
  )
})

for (const useQueue of [false, true]) {
  const mode = useQueue ? 'use_queue' : 'main thread'

  t.test(`${mode}: debug records are held until the ERROR, then released in order`, async (t) => {
    const dir = tempDir()
    const file = join(dir, 'app.log')
    const out = await runScript(
      example(`
const logger = getLogger({ name: 'myapp', level: 'debug', file: ${JSON.stringify(file)}, use_queue: ${useQueue},
  use_memory_handler: true, memory_capacity: 100, memory_flush_level: 'ERROR' })
logger.debug('Buffered until capacity is reached.')
logger.error('This ERROR triggers an immediate flush.')
await shutdown()
`),
    )
    t.equal(out.code, 0, out.stderr)
    const expected = [
      [20, 'Buffered until capacity is reached.'],
      [50, 'This ERROR triggers an immediate flush.'],
    ]
    t.same(
      records(out.stdout).map((r) => [r.level, r.msg]),
      expected,
      'console',
    )
    t.same(
      readRecords(file).map((r) => [r.level, r.msg]),
      expected,
      'file',
    )
  })

  for (const [how, ending] of [
    ['process.exit() right after logging', 'process.exit(0)'],
    ['an uncaught exception', "throw new Error('crash')"],
    ['an unhandled rejection', "Promise.reject(new Error('crash'))"],
    ['logger.fatal() then exit', "logger.fatal('dying'); process.exit(1)"],
  ] as const) {
    for (const buffered of [false, true]) {
      t.test(
        `${mode}${buffered ? ', memory buffer' : ''}: a record logged before ${how} reaches console and file`,
        async (t) => {
          const file = join(tempDir(), 'app.log')
          const out = await runScript(
            example(`
const logger = getLogger({ name: 'exit', file: ${JSON.stringify(file)}, use_queue: ${useQueue}, use_memory_handler: ${buffered} })
for (let i = 0; i < 50; i++) logger.info({ i }, 'last words')
${ending}
`),
            { timeoutMs: 20_000 },
          )
          t.notOk(out.timedOut)
          const want = Array.from({ length: 50 }, (_, i) => i)
          t.same(
            records(out.stdout)
              .filter((r) => r.msg === 'last words')
              .map((r) => r.i),
            want,
            'console',
          )
          t.same(
            readRecords(file)
              .filter((r) => r.msg === 'last words')
              .map((r) => r.i),
            want,
            'file',
          )
          if (ending.includes('fatal')) t.match(records(out.stdout).at(-1), { level: 60, msg: 'dying' })
        },
      )
    }
  }
}

t.test('use_queue in process: the worker writes the file; shutdown waits for it', async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'made', 'by', 'getLogger', 'queued.log')
  const logger = registry.getLogger({ console: false, file, use_queue: true, use_memory_handler: true })
  t.equal(registry.getLogger({ console: false, file, use_queue: true, use_memory_handler: true }), logger)
  for (let i = 0; i < 5; i++) logger.info({ i }, 'queued')
  await registry.shutdown()
  t.same(
    readRecords(file).map((r) => r.i),
    [0, 1, 2, 3, 4],
  )
  const counts = { received: 5, delivered: 5, dropped: {}, buffered: 0 }
  t.match(
    registry.getStats(),
    { '': { file: counts, 'memory-buffer:file': counts } },
    'a shut-down logger keeps its final counts',
  )
  t.not(registry.getLogger({ console: false }), logger, 'and is forgotten: the name makes a new logger')
  await registry.shutdown()
})

t.test('getStats shows what the memory buffers published', async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'stats.log')
  const logger = registry.getLogger({
    name: 'stats',
    console: false,
    file,
    use_memory_handler: true,
    memory_capacity: 2,
  })
  logger.info('a')
  logger.info('b')
  logger.info('c')
  const stats = await new Promise<Record<string, unknown>>((resolve) => {
    const poll = setInterval(() => {
      const s = registry.getStats().stats?.['memory-buffer:file']
      if (s) {
        clearInterval(poll)
        resolve(s as unknown as Record<string, unknown>)
      }
    }, 20)
  })
  t.match(stats, { destination: 'memory-buffer:file', received: 3, delivered: 2, buffered: 1 })
  await registry.shutdown()
})

t.test('one exit and one beforeExit listener for every logger; none once all are shut down', async (t) => {
  const count = () => [process.listenerCount('exit'), process.listenerCount('beforeExit')]
  const [exit = 0, beforeExit = 0] = count()
  const registry = new LoggerRegistry()
  for (let i = 0; i < 12; i++) registry.getLogger({ name: `many-${i}`, console: false })
  t.same(count(), [exit + 1, beforeExit], 'beforeExit only while a handler runs on this thread')
  registry.getLogger({
    name: 'on-this-thread',
    console: false,
    http_handler: { url: 'http://127.0.0.1:9/', async: false },
  })
  t.same(count(), [exit + 1, beforeExit + 1])
  await registry.shutdown()
  t.same(count(), [exit, beforeExit])
})
