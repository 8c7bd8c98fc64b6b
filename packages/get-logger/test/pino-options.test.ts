// pino's own logger options through getLogger, on the main thread and with use_queue (the
// worker writes what the main thread serialised); filter_func before serialisation.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import t from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { LoggerRegistry } from '../src/get-logger.ts'
import { FilterStage } from '../src/record-filter.ts'

const read = (file: string) => records(readFileSync(file, 'utf8'))

for (const useQueue of [false, true]) {
  t.test(`pino's options shape every record (use_queue ${useQueue})`, async (t) => {
    const registry = new LoggerRegistry()
    const dir = tempDir()
    const common = { console: false, use_queue: useQueue }
    const shaped = registry.getLogger({
      ...common,
      name: 'shaped',
      file: join(dir, 'shaped.log'),
      context: { service: 'api' },
      redact: ['password', 'req.headers.authorization'],
      serializers: { user: (u: { id: number }) => ({ id: u.id }) },
      formatters: { bindings: (b: Record<string, unknown>) => ({ ...b, host: b.hostname }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ mixed: true }),
      messageKey: 'message',
      msgPrefix: '[app] ',
      customLevels: { audit: 35 },
      level: 'audit',
    })
    shaped.info('below the custom level: dropped')
    ;(shaped as unknown as Record<string, (o: object, m: string) => void>).audit?.(
      { password: 'hunter2', req: { headers: { authorization: 'Bearer x' } }, user: { id: 7, email: 'a@b' } },
      'who did what',
    )
    const bare = registry.getLogger({
      ...common,
      name: 'bare',
      file: join(dir, 'bare.log'),
      base: null,
      timestamp: false,
    })
    bare.warn({ n: 1 }, 'no pid, no hostname, no time')
    const off = registry.getLogger({ ...common, name: 'off', file: join(dir, 'off.log'), enabled: false })
    off.error('not logged')
    await registry.shutdown()

    const [record, ...rest] = read(join(dir, 'shaped.log'))
    t.same(rest, [], 'only the audit record')
    t.match(record, {
      level: 35,
      message: '[app] who did what',
      password: '[Redacted]',
      req: { headers: { authorization: '[Redacted]' } },
      user: { id: 7 },
      mixed: true,
      service: 'api',
      name: 'shaped',
    })
    t.same(
      [typeof record?.time, 'email' in ((record?.user ?? {}) as object), record?.host === record?.hostname],
      ['string', false, true],
      'ISO time, the serializer applied, the bindings formatter too',
    )
    t.same(
      read(join(dir, 'bare.log')).map((r) => Object.keys(r).sort()),
      [['level', 'msg', 'n', 'name']],
      'base: null leaves out pid and hostname; timestamp: false the time; name stays',
    )
    t.same(read(join(dir, 'off.log')), [], 'enabled: false logs nothing')
  })
}

t.test("customLevels: a handler's level may name one, in the worker too", async (t) => {
  const sink = await startHttpSink()
  t.teardown(() => sink.close())
  const run = await runScript(`
    import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
    const logger = getLogger({
      name: 'audited', console: false, use_queue: true, level: 'info', customLevels: { audit: 35 },
      http_handler: { url: ${JSON.stringify(sink.url)}, level: 'audit', flushIntervalMs: 10 },
    })
    logger.info('info: not for the handler')
    logger.audit('audit: for the handler')
    logger.warn('warn: for the handler')
    await shutdown()
  `)
  t.equal(run.code, 0, run.stderr)
  t.same(
    sink.records.map((r) => r.msg),
    ['audit: for the handler', 'warn: for the handler'],
  )
})

t.test('filter_func drops a record for every destination, counted once as filtered', async (t) => {
  for (const useQueue of [false, true]) {
    const registry = new LoggerRegistry()
    const dir = tempDir()
    const seen: Record<string, unknown>[] = []
    const logger = registry.getLogger({
      name: 'filtered',
      console: false,
      use_queue: useQueue,
      file: join(dir, 'app.log'),
      use_memory_handler: true,
      filter_func: (record: Record<string, unknown>) => {
        seen.push(record)
        return record.healthcheck !== true
      },
    })
    logger.info({ healthcheck: true }, 'ping')
    logger.info({ user: 7 }, 'real work')
    logger.error(new Error('boom'))
    logger.debug('below the level: never reaches the filter')
    await registry.shutdown()
    t.same(
      read(join(dir, 'app.log')).map((r) => r.msg),
      ['real work', 'boom'],
      `use_queue ${useQueue}`,
    )
    t.match(registry.getStats().filtered?.filter, { received: 3, delivered: 2, dropped: { filtered: 1 }, buffered: 0 })
    t.match(seen, [
      { level: 30, msg: 'ping', healthcheck: true },
      { level: 30, msg: 'real work', user: 7 },
      { level: 50, err: { message: 'boom' } },
    ])
  }
})

t.test(
  'filter_func: the hook runs before the application own logMethod hook; a filter that throws keeps the record',
  async (t) => {
    const reports: string[] = []
    const stage = new FilterStage(
      (record) => {
        if (record.msg === 'bad') throw new Error('filter bug')
        return record.msg !== 'drop'
      },
      { report: (_key, message) => reports.push(message), always: () => {} },
    )
    const lines: string[] = []
    const calls: string[] = []
    const logger = pino(
      {
        hooks: {
          logMethod: stage.hook(function (this: pino.Logger, args, method) {
            calls.push(String(args[0]))
            method.apply(this, args)
          }),
        },
      },
      { write: (l: string) => lines.push(JSON.parse(l).msg) },
    )
    logger.info('keep')
    logger.info('drop')
    logger.info('bad')
    t.same(
      [lines, calls],
      [
        ['keep', 'bad'],
        ['keep', 'bad'],
      ],
    )
    t.match(reports, [/^filter_func threw \(filter bug\); the record was kept$/])
    t.match(stage.stats(), { received: 3, delivered: 2, dropped: { filtered: 1 } })
  },
)

t.test('the same name: pino options and filter_func compare by their code', async (t) => {
  const registry = new LoggerRegistry()
  t.teardown(() => registry.shutdown())
  const make = () => ({ name: 'same', console: false, mixin: () => ({ a: 1 }), filter_func: () => true })
  const first = registry.getLogger(make())
  t.equal(registry.getLogger(make()), first, 'the same code written twice is the same configuration')
  t.throws(() => registry.getLogger({ ...make(), mixin: () => ({ a: 2 }) }), {
    code: 'PA_CONFLICTING_OPTIONS',
    message: /other values for pino/,
  })
})

t.test('pino options of the wrong kind are a ConfigError naming the option', async (t) => {
  const registry = new LoggerRegistry()
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ redact: 5 }, 'redact', /^redact: received 5; expected object or array \(pino's redact option\)$/],
    [{ mixin: {} }, 'mixin', /expected function/],
    [{ customLevels: { audit: 3.5 } }, 'customLevels.audit', /expected a positive integer/],
    [{ filter_func: 'yes' }, 'filter_func', /expected a function \(record\) => boolean/],
    [{ filterFunc: 1 }, 'filterFunc', /^filterFunc: /],
    [{ level: 'audit' }, 'level', /expected a pino level name/],
  ]
  const problems: string[] = []
  for (const [options, option, message] of cases) {
    try {
      registry.getLogger({ console: false, ...options })
      problems.push(`${option}: accepted`)
    } catch (err) {
      const e = err as { code?: string; option?: string; message: string }
      if (e.code !== 'PA_INVALID_OPTION' || e.option !== option || !message.test(e.message)) {
        problems.push(`${option}: ${e.code} ${e.option} ${e.message}`)
      }
    }
  }
  t.same(problems, [])
})

t.test("pino's hooks without filter_func are the application's own", async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'hooked.log')
  const logger = registry.getLogger({
    name: 'hooked',
    console: false,
    file,
    hooks: {
      logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        method.apply(this, [`hooked: ${String(args[0])}`] as unknown as Parameters<pino.LogFn>)
      },
    },
  })
  logger.info('hello')
  await registry.shutdown()
  t.same(
    read(file).map((r) => r.msg),
    ['hooked: hello'],
  )
})

t.test('filter_func runs before the application own logMethod hook, through getLogger', async (t) => {
  const registry = new LoggerRegistry()
  const file = join(tempDir(), 'both.log')
  const logger = registry.getLogger({
    name: 'both',
    console: false,
    file,
    filter_func: (record: Record<string, unknown>) => record.msg !== 'drop',
    hooks: {
      logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        method.apply(this, [`hooked: ${String(args[0])}`] as unknown as Parameters<pino.LogFn>)
      },
    },
  })
  logger.info('drop')
  logger.info('keep')
  await registry.shutdown()
  t.same(
    read(file).map((r) => r.msg),
    ['hooked: keep'],
  )
})
