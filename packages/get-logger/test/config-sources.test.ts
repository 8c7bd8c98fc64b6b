// config_path (JSON, YAML, TOML), the environment and config_env, and their precedence.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { pkg, records, runScript, tempDir } from '../../../test/helpers/child.ts'
import { resolveLoggerOptions } from '../src/resolve-options.ts'

const dir = tempDir()
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const json = write('logging.json', JSON.stringify({ level: 'debug', use_queue: true, memory_capacity: 7 }))
const yaml = write('logging.yaml', 'level: WARNING\nuseMemoryHandler: true\ncontext:\n  service: api\n')
const toml = write(
  'logging.toml',
  'level = "error"\nconsole = "stderr"\n\n[http_handler]\nurl = "http://logs:8080/in"\nasync = false\n',
)

t.test('config_path: JSON, YAML and TOML files give the same options, under either spelling', async (t) => {
  const none = {}
  const a = resolveLoggerOptions({ config_path: json }, {}, none)
  const b = resolveLoggerOptions({ config_path: yaml }, {}, none)
  const c = resolveLoggerOptions({ config_path: toml }, {}, none)
  t.same(
    [
      [a.level, a.useQueue, a.memoryCapacity],
      [b.level, b.useMemoryHandler, b.context],
      [c.level, c.console, c.httpHandler?.options, c.httpHandler?.async],
    ],
    [
      [20, true, 7],
      [40, true, { service: 'api' }],
      [50, 'stderr', { url: 'http://logs:8080/in' }, false],
    ],
  )
})

t.test('precedence: the environment, then the arguments, then the file, then the defaults', async (t) => {
  const env = { PINO_ADVANCED_LEVEL: 'fatal', PINO_ADVANCED_MEMORY_CAPACITY: '9', MYAPP_QUEUE: 'no' }
  const o = resolveLoggerOptions(
    { config_path: json, level: 'info', use_queue: true, memory_capacity: 3, config_env: { use_queue: 'MYAPP_QUEUE' } },
    {},
    env,
  )
  t.same([o.level, o.memoryCapacity, o.useQueue, o.console], [60, 9, false, 'stdout'])
  const args = resolveLoggerOptions({ config_path: json, level: 'warn' }, {}, {})
  t.same([args.level, args.useQueue], [40, true], 'an argument wins over the file; the file over the default')
  const named = resolveLoggerOptions(
    { config_env: { level: 'APP_LEVEL' } },
    {},
    { APP_LEVEL: '50', PINO_ADVANCED_LEVEL: 'debug' },
  )
  t.equal(named.level, 50, "config_env's variable takes the place of the prefixed one")
  const kinds = resolveLoggerOptions(
    {},
    {},
    {
      PINO_ADVANCED_CONSOLE: 'off',
      PINO_ADVANCED_NAME: 'svc',
      PINO_ADVANCED_HANDLE_SIGNALS: 'YES',
      PINO_ADVANCED_FILE: '',
    },
  )
  t.same(
    [kinds.console, kinds.name, kinds.handleSignals, kinds.file],
    [undefined, 'svc', true, undefined],
    'an empty variable is not set',
  )
  t.same(
    ['stderr', '1'].map((v) => resolveLoggerOptions({}, {}, { PINO_ADVANCED_CONSOLE: v }).console),
    ['stderr', 'stdout'],
  )
})

t.test('mistakes name the option, the file or the variable', async (t) => {
  const bad = write('bad.yaml', 'level: [unclosed\n')
  const list = write('list.yaml', '- level\n')
  const wrong = write('wrong.toml', 'level = "loud"\n')
  const cases: [unknown, NodeJS.ProcessEnv, string, RegExp][] = [
    [{ config_path: join(dir, 'logging.ini') }, {}, 'config_path', /expected a \.json, \.yaml, \.yml or \.toml file/],
    [{ config_path: join(dir, 'missing.json') }, {}, 'config_path', /cannot be read \(ENOENT\)/],
    [{ config_path: bad }, {}, 'config_path', /is not valid YAML: /],
    [{ config_path: list }, {}, `config_path (${list})`, /received an array of 1; expected an options object/],
    [{ config_path: 7 }, {}, 'config_path', /received 7; expected the path/],
    [{ config_path: wrong }, {}, 'level', /received "loud".*\(set by .*wrong\.toml\)$/],
    [{}, { PINO_ADVANCED_LEVEL: 'loud' }, 'level', /\(set by PINO_ADVANCED_LEVEL\)$/],
    [{}, { PINO_ADVANCED_USE_QUEUE: 'maybe' }, 'PINO_ADVANCED_USE_QUEUE', /expected true or false/],
    [{}, { PINO_ADVANCED_MEMORY_CAPACITY: 'lots' }, 'PINO_ADVANCED_MEMORY_CAPACITY', /expected a number/],
    [{ config_env: { redact: 'X' } }, {}, 'config_env.redact', /not an option the environment may set/],
    [{ config_env: { level: 'not a name' } }, {}, 'config_env.level', /expected an environment variable's name/],
  ]
  const problems: string[] = []
  for (const [input, env, option, message] of cases) {
    try {
      resolveLoggerOptions(input, {}, env)
      problems.push(`${option}: accepted`)
    } catch (err) {
      const e = err as { option?: string; message: string }
      if (e.option !== option || !message.test(e.message)) problems.push(`${option}: ${e.option}: ${e.message}`)
    }
  }
  t.same(problems, [])
  const plain = t.throws(() => resolveLoggerOptions({ level: 'loud' }, {}, {})) as Error
  t.notMatch(plain.message, /set by/, 'an argument: no origin')
  const failing = () => {
    throw new TypeError('a validator bug')
  }
  t.throws(() => resolveLoggerOptions({ http_handler: { url: 'x' } }, { http_handler: failing }, {}), TypeError)
})

t.test('through getLogger: a YAML file and a variable configure the logger', async (t) => {
  const config = write('app.yaml', 'name: fromfile\nuse_queue: true\nconsole: stderr\nlevel: error\n')
  const run = await runScript(
    `
    import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
    const logger = getLogger({ config_path: ${JSON.stringify(config)} })
    logger.info('below the level the variable set: dropped')
    logger.warn('kept')
    await shutdown()
  `,
    { env: { PINO_ADVANCED_LEVEL: 'WARNING' } },
  )
  t.equal(run.code, 0, run.stderr)
  t.same(
    records(run.stderr).map((r) => [r.name, r.msg]),
    [['fromfile', 'kept']],
  )
})
