// The package's entry exports its documented API (README, API), not the streams' internals.
import t from 'tap'
import * as api from '../src/index.ts'

t.test('the entry exports what the README documents, and nothing else', async (t) => {
  t.same(Object.keys(api).sort(), [
    'DEFAULTS',
    'DropReasons',
    'MAX_CAPACITY',
    'MODES',
    'MemoryBuffer',
    'MemoryBufferStream',
    'OPTIONS',
    'OPTION_NAMES',
    'USAGE',
    'createMemoryBuffer',
    'default',
    'parseCliArgs',
    'resolveOptions',
    'runCli',
  ])
})
