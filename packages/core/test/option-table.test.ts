import t from 'tap'
import { expectConfigError } from '../../../test/helpers/config-error.ts'
import { cliRules, usageLines } from '../src/option-cli.ts'
import {
  booleanOption,
  customOption,
  enumOption,
  levelOption,
  numberOption,
  optionNames,
  readOptionTable,
  stringOption,
} from '../src/option-table.ts'

const TABLE = Object.freeze({
  name: stringOption({ doc: 'who', required: true, expected: 'a name' }),
  label: stringOption({ doc: 'shown', default: 'x', cli: [{ value: 'NAME' }] }),
  note: stringOption({ doc: 'optional text' }),
  count: numberOption({ doc: 'how many', default: 10, min: 1, max: 100 }),
  ratio: numberOption({ doc: 'a share', min: 0, max: 1, integer: false }),
  baseMs: numberOption({ doc: 'first wait', default: 200, min: 1 }),
  maxMs: numberOption({ doc: 'longest wait', default: 100, atLeast: { option: 'baseMs' } }),
  recordBytes: numberOption({
    doc: 'one record',
    default: 500,
    atMost: { option: 'count', why: 'it could never be held' },
  }),
  on: booleanOption({ doc: 'enabled', default: false }),
  mode: enumOption(['a', 'b'], { doc: 'which', default: 'a' }),
  level: levelOption({ doc: 'threshold', default: 50 }),
  odd: levelOption({ doc: 'unnamed default', default: 35 }),
  where: customOption<string | number, string>({
    doc: 'a place',
    shown: 'here',
    cli: [
      { value: 'PATH|FD', numeric: true },
      { flag: 'where-else', value: 'P', doc: 'the same, again' },
    ],
    read: (_prefix, options, key) => String(options[key] ?? 'here'),
  }),
})

t.test('reads every option in the table order, with the defaults', async (t) => {
  t.same(readOptionTable(TABLE, '', { name: 'n' }), {
    name: 'n',
    label: 'x',
    note: undefined,
    count: 10,
    ratio: undefined,
    baseMs: 200,
    // A default below the option it must reach rises to it.
    maxMs: 200,
    // A default above the option it must stay under falls to it.
    recordBytes: 10,
    on: false,
    mode: 'a',
    level: 50,
    odd: 35,
    where: 'here',
  })
  t.same(optionNames(TABLE), Object.keys(TABLE))
  t.same(
    Object.values(TABLE).map((option) => option.kind),
    [
      'string',
      'string',
      'string',
      'number',
      'number',
      'number',
      'number',
      'number',
      'boolean',
      'enum',
      'level',
      'level',
      'custom',
    ],
    'each kind, for reading text (flags, environment variables)',
  )
  const custom = readOptionTable(TABLE, '', { name: 'n', level: 'notice', ratio: 0.5 }, { notice: 35 })
  t.same([custom.level, custom.ratio], [35, 0.5], 'custom levels and fractions')
})

t.test('every mistake names the option, its prefix and what is allowed', async (t) => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{}, 'h.name', /required; expected a name/],
    [{ name: 'n', count: 0 }, 'h.count', /from 1 to 100/],
    [{ name: 'n', baseMs: 300, maxMs: 250 }, 'h.maxMs', /received 250; expected at least baseMs \(300\)$/],
    [{ name: 'n', count: 5, recordBytes: 6 }, 'h.recordBytes', /at most count \(5\): it could never be held/],
    [{ name: 'n', mode: 'c' }, 'h.mode', /one of 'a', 'b'/],
    [{ name: 'n', on: 'yes' }, 'h.on', /true or false/],
    [{ name: 'n', countt: 1 }, 'h.countt', /did you mean h.count\?/],
  ]
  for (const [raw, option, message] of cases) {
    expectConfigError(t, () => readOptionTable(TABLE, 'h', raw), option, { message })
  }
  expectConfigError(t, () => readOptionTable(TABLE, '', 7), 'options', { message: /an options object/ })
})

t.test('the command line: numeric flags, switches and the usage come from the table', async (t) => {
  const { numeric, switches } = cliRules(TABLE)
  t.same([...numeric].sort(), ['baseMs', 'count', 'level', 'maxMs', 'odd', 'ratio', 'recordBytes', 'where'])
  t.same([...switches], ['on'])
  const usage = usageLines(TABLE).split('\n')
  t.same(
    usage.map((line) => line.trim().replace(/ {2,}/, ' | ')),
    [
      '--name TEXT | who (required)',
      "--label NAME | shown (default 'x')",
      '--note TEXT | optional text',
      '--count N | how many (default 10)',
      '--ratio N | a share',
      '--baseMs N | first wait (default 200)',
      '--maxMs N | longest wait (default 100)',
      '--recordBytes N | one record (default 500)',
      '--on | enabled (default false)',
      "--mode a|b | which (default 'a')",
      "--level LEVEL | threshold (default 'error')",
      '--odd LEVEL | unnamed default (default 35)',
      '--where PATH|FD | a place (default here)',
      '--where-else P | the same, again',
    ],
  )
})
