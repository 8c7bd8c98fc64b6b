import { ConfigError } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import { DEFAULTS, OPTION_NAMES, resolveOptions } from '../src/options.ts'

t.test('defaults', async (t) => {
  t.same(resolveOptions(undefined), {
    capacity: 100,
    flushLevel: 50,
    flushIntervalMs: 0,
    maxBytes: undefined,
    mode: 'batch',
    destination: undefined,
    statsName: 'memory-buffer',
    closeTimeoutMs: 5000,
  })
  t.ok(Object.isFrozen(resolveOptions({})))
  t.equal(DEFAULTS.capacity, 100)
  t.same([...OPTION_NAMES].sort(), [
    'capacity',
    'closeTimeoutMs',
    'destination',
    'flushIntervalMs',
    'flushLevel',
    'maxBytes',
    'mode',
    'statsName',
  ])
})

t.test('every option read and normalised', async (t) => {
  t.same(
    resolveOptions({
      capacity: 5,
      flushLevel: 'WARNING',
      flushIntervalMs: 250,
      maxBytes: 4096,
      mode: 'batch',
      destination: '/tmp/x.log',
      statsName: 'buffer-a',
      closeTimeoutMs: 2000,
    }),
    {
      capacity: 5,
      flushLevel: 40,
      flushIntervalMs: 250,
      maxBytes: 4096,
      mode: 'batch',
      destination: '/tmp/x.log',
      statsName: 'buffer-a',
      closeTimeoutMs: 2000,
    },
  )
  t.equal(resolveOptions({ destination: 1 }).destination, 1, 'fd 1 = stdout')
  t.equal(resolveOptions({ mode: 'ring', flushIntervalMs: 0 }).mode, 'ring')
})

t.test('flushLevel takes pino names, Python names in any case, and pino numbers', async (t) => {
  const cases: [unknown, number][] = [
    ['error', 50],
    ['ERROR', 50],
    ['Critical', 60],
    ['warning', 40],
    ['WARN', 40],
    ['debug', 20],
    ['trace', 10],
    ['fatal', 60],
    [40, 40],
    [60, 60],
  ]
  t.same(
    cases.map(([value]) => resolveOptions({ flushLevel: value }).flushLevel),
    cases.map(([, n]) => n),
    'every spelling',
  )
})

/** One assertion per bad value: a ConfigError naming `option` first, saying what is allowed. */
function rejects(t: Test, raw: unknown, option: string, allowed: RegExp, prefix = '') {
  expectConfigError(t, () => resolveOptions(raw, prefix), option, { type: ConfigError, message: allowed })
}

t.test('a bad value of every option is a ConfigError naming it, the value and what is allowed', async (t) => {
  rejects(t, { capacity: 0 }, 'capacity', /received 0; expected an integer from 1 to/)
  rejects(t, { capacity: 2.5 }, 'capacity', /received 2.5; expected an integer/)
  rejects(t, { capacity: '100' }, 'capacity', /received "100"; expected an integer/)
  rejects(t, { flushLevel: 'ERR' }, 'flushLevel', /received "ERR"; expected a pino level name .*Python level name/)
  rejects(t, { flushLevel: 35 }, 'flushLevel', /received 35; .*pino's numbers, not Python's/)
  rejects(t, { flushIntervalMs: -1 }, 'flushIntervalMs', /received -1; expected an integer from 0/)
  rejects(t, { flushIntervalMs: 2 ** 31 }, 'flushIntervalMs', /expected an integer from 0 to 2147483647/)
  rejects(t, { maxBytes: 0 }, 'maxBytes', /received 0; expected an integer from 1/)
  rejects(t, { mode: 'circular' }, 'mode', /received "circular"; expected one of 'batch', 'ring'/)
  rejects(t, { destination: '' }, 'destination', /received ""; expected a file path .* or a file descriptor/)
  rejects(t, { destination: -1 }, 'destination', /received -1; expected a file path/)
  rejects(t, { destination: { path: 'x' } }, 'destination', /received an object; expected a file path/)
  rejects(t, { statsName: 3 }, 'statsName', /received 3; expected a non-empty string/)
  rejects(t, { closeTimeoutMs: 0 }, 'closeTimeoutMs', /expected an integer from 1 to 9500/)
  rejects(t, { closeTimeoutMs: 10_000 }, 'closeTimeoutMs', /received 10000; expected an integer from 1 to 9500/)
})

t.test('flushIntervalMs is rejected in ring mode, and says why', async (t) => {
  rejects(t, { mode: 'ring', flushIntervalMs: 1000 }, 'flushIntervalMs', /expected 0 \(off\) when mode is 'ring'/)
  rejects(t, { mode: 'ring', flushIntervalMs: 1000 }, 'memory.flushIntervalMs', /when memory.mode is 'ring'/, 'memory')
})

t.test('unknown keys are rejected with a hint; the prefix is part of every name', async (t) => {
  rejects(t, { capcity: 10 }, 'capcity', /unknown option \(did you mean capacity\?\); valid options are capacity, /)
  rejects(t, { capcity: 10 }, 'memory.capcity', /did you mean memory.capacity\?/, 'memory')
  rejects(t, { capacity: 0 }, 'memory.capacity', /received 0/, 'memory')
  rejects(t, 'capacity=10', 'options', /received "capacity=10"; expected an options object/)
  rejects(t, [1], 'memory', /expected an options object/, 'memory')
})
