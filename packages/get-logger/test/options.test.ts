import type { ConfigError } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import { OPTION_NAMES } from '../src/options.ts'
import { differingKeys, resolveLoggerOptions } from '../src/resolve-options.ts'

/** One assertion per rejected value: a ConfigError with `code`, naming `option` first. */
function rejects(t: Test, input: unknown, option: string, code = 'PA_INVALID_OPTION'): ConfigError {
  return expectConfigError(t, () => resolveLoggerOptions(input), option, { code }) as ConfigError
}

t.test('defaults are the documented ones', async (t) => {
  const o = resolveLoggerOptions({})
  t.equal(o.name, undefined)
  t.equal(o.level, 30)
  t.equal(o.console, 'stdout')
  t.same(
    [true, false, 'stdout', 'stderr'].map((console) => resolveLoggerOptions({ console }).console),
    ['stdout', undefined, 'stdout', 'stderr'],
    'console: true is stdout (pino), false none, or the stream',
  )
  t.equal(o.file, undefined)
  t.same(o.context, {})
  t.equal(o.useQueue, false)
  t.equal(o.useMemoryHandler, false)
  t.equal(o.handleSignals, false)
  t.equal(o.memoryCapacity, 100)
  t.equal(o.memoryFlushLevel, 50, "memory_flush_level defaults to 'ERROR'")
  t.equal(o.smtpHandler, undefined)
  t.equal(o.httpHandler, undefined)
  t.ok(Object.isFrozen(o))
})

t.test('the documented snake_case names and their camelCase twins', async (t) => {
  const snake = resolveLoggerOptions({
    name: 'myapp',
    level: 'DEBUG',
    use_queue: true,
    use_memory_handler: true,
    memory_capacity: 10,
    memory_flush_level: 'WARNING',
  })
  const camel = resolveLoggerOptions({
    name: 'myapp',
    level: 'debug',
    useQueue: true,
    useMemoryHandler: true,
    memoryCapacity: 10,
    memoryFlushLevel: 40,
  })
  const resolved = { level: 20, useQueue: true, useMemoryHandler: true, memoryCapacity: 10, memoryFlushLevel: 40 }
  t.match([snake, camel], [resolved, resolved], 'snake_case and camelCase resolve alike')
  t.same(camel.canonical, snake.canonical, 'both spellings resolve to the same options')
  t.equal(resolveLoggerOptions({ use_queue: true, useQueue: true }).useQueue, true, 'both, agreeing, is fine')
  rejects(t, { use_queue: true, useQueue: false }, 'useQueue')
  t.ok(OPTION_NAMES.includes('memoryFlushLevel'))
})

t.test('every invalid option is a ConfigError naming it', async (t) => {
  rejects(t, 'myapp', 'options')
  rejects(t, { name: 3 }, 'name')
  rejects(t, { level: 'verbose' }, 'level')
  rejects(t, { console: 'yes' }, 'console')
  rejects(t, { file: '' }, 'file')
  rejects(t, { context: [1] }, 'context')
  rejects(t, { use_queue: 1 }, 'use_queue')
  rejects(t, { use_memory_handler: 'true' }, 'use_memory_handler')
  rejects(t, { handleSignals: 'yes' }, 'handleSignals')
  rejects(t, { handle_signals: 'yes' }, 'handle_signals')
  rejects(t, { memoryCapacity: -1 }, 'memoryCapacity')
  rejects(t, { httpHandler: { async: 1 } }, 'httpHandler.async')
  const bug = new TypeError('a validator bug')
  const thrower = () => {
    throw bug
  }
  t.equal(
    t.throws(() => resolveLoggerOptions({ httpHandler: {} }, { http_handler: thrower })),
    bug,
    'anything but a ConfigError passes through unchanged',
  )
  rejects(t, { memory_capacity: 0 }, 'memory_capacity')
  rejects(t, { memory_capacity: 2.5 }, 'memory_capacity')
  rejects(t, { memory_flush_level: 45 }, 'memory_flush_level')
  rejects(t, { smtp_handler: 'smtp.example.com' }, 'smtp_handler')
  rejects(t, { http_handler: { async: 'yes' } }, 'http_handler.async')
  rejects(t, { http_handler: { level: 'LOUD' } }, 'http_handler.level')
})

t.test('a typo is rejected with a suggestion and the valid names', async (t) => {
  const err = rejects(t, { memory_capcity: 10 }, 'memory_capcity', 'PA_UNKNOWN_OPTION')
  t.match(err.message, 'did you mean memory_capacity?')
  t.match(err.message, 'use_queue')
  t.match(err.message, 'memoryCapacity')
})

t.test('handlers: async defaults to true; SMTP level to error, HTTP to the logger level', async (t) => {
  const o = resolveLoggerOptions({
    level: 'debug',
    smtp_handler: { mailhost: 'localhost', async: false },
    http_handler: { url: 'http://localhost/log' },
  })
  t.same(o.smtpHandler, { async: false, level: 50, options: { mailhost: 'localhost' } })
  t.same(o.httpHandler, { async: true, level: 20, options: { url: 'http://localhost/log' } })
  t.equal(resolveLoggerOptions({ http_handler: { level: 'CRITICAL' } }).httpHandler?.level, 60)
  t.equal(resolveLoggerOptions({ http_handler: null, smtp_handler: false }).httpHandler, undefined)
})

t.test('handler options are checked by the transport validator, with the handler prefix', async (t) => {
  const seen: [unknown, string][] = []
  resolveLoggerOptions(
    { http_handler: { url: 'x', async: true, level: 'info' } },
    { http_handler: (options, prefix) => seen.push([options, prefix]) },
  )
  t.same(seen, [[{ url: 'x' }, 'http_handler']])
})

t.test('differingKeys compares option sets whatever the key order', async (t) => {
  t.same(differingKeys({ a: 1, c: { x: 1, y: 2 } }, { c: { y: 2, x: 1 }, a: 1 }), [])
  t.same(differingKeys({ a: 1, b: 2 }, { a: 2, c: 3 }), ['a', 'b', 'c'])
})

t.test("memory_capacity has the buffers' own bounds (memory-buffer's capacity, up to 10,000,000)", async (t) => {
  t.equal(resolveLoggerOptions({ memory_capacity: 10_000_000 }).memoryCapacity, 10_000_000)
  expectConfigError(t, () => resolveLoggerOptions({ memory_capacity: 10_000_001 }), 'memory_capacity', {
    code: 'PA_INVALID_OPTION',
    message: 'from 1 to 10000000',
  })
})
