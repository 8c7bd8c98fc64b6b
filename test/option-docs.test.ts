// The docs check itself: it finds each kind of disagreement (so a passing package check means something).
import t from 'tap'
import { numberOption, stringOption } from '../packages/core/src/option-table.ts'
import { optionDocsProblems } from './helpers/option-docs.ts'

const TABLE = {
  count: numberOption({ doc: 'how many', default: 10 }),
  name: stringOption({ doc: 'who', required: true }),
  label: stringOption({ doc: 'shown', default: 'x' }),
}

t.test('an undocumented option, a stale row and a wrong default are each reported', async (t) => {
  const page = [
    '| option  | default | meaning |',
    '| ------- | ------- | ------- |',
    '| `count` | `12`    | how many |',
    '| `name`  | required | who |',
    '| `gone`  | none    | removed |',
    '',
  ].join('\n')
  t.same(optionDocsProblems(TABLE, page), [
    '`count`: the docs say the default is `12`; the option table says 10',
    '`gone`: documented, but not an option',
    'label: an option the docs do not list',
  ])
})

t.test('names written another way, other tables left alone', async (t) => {
  const page = [
    '| Python | here | default | meaning |',
    '| --- | --- | --- | --- |',
    '| `count=10` | `count` / `Count` | 10 (ten) | n |',
    '| x | `name` / `Name` | required | n |',
    "| x | `label` / `Label` | `'X'` | case does not matter |",
    '| x | `other` | none | another table |',
    '',
  ].join('\n')
  const rules = {
    nameColumn: 'here',
    allowOthers: true,
    nameCell: (k: string) => `\`${k}\` / \`${k[0]?.toUpperCase()}${k.slice(1)}\``,
  }
  t.same(optionDocsProblems(TABLE, page, rules), [])
})

t.test('a name cell read by the rule given: the option it is about', async (t) => {
  const page = [
    '| here | default | meaning |',
    '| --- | --- | --- |',
    '| `count: 3` | 10 | n |',
    '| `name` / `Name` | required | n |',
    '| `PREFIX_<OPTION>` | none | not an option: left alone |',
    '',
  ].join('\n')
  const rules = { nameColumn: 'here', allowOthers: true, nameOf: (cell: string) => /^`(\w+)/.exec(cell)?.[1] }
  t.same(optionDocsProblems(TABLE, page, rules), ['label: an option the docs do not list'])
})
