// The docs' option tables and the option table in the code say the same options, defaults and twins included.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { optionDocsProblems } from '../../../test/helpers/option-docs.ts'
import { ENV_TEXT, OPTIONS, TWINS } from '../src/options.ts'

const page = readFileSync(new URL('../../../docs/get-logger.md', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The docs write `use_queue` / `useQueue`, `formatter: 'color'`, `rotating_file: { ... }`: the first name. */
const nameOf = (cell: string) => /^`(\w+)/.exec(cell)?.[1]

t.test("docs/get-logger.md's tables list every option, with its default", async (t) => {
  t.same(optionDocsProblems(OPTIONS, page, { nameColumn: 'here', allowOthers: true, nameOf }), [])
})

t.test('each row of an option with a camelCase twin names the twin too', async (t) => {
  const missing: string[] = []
  for (const [text, column] of [
    [page, 1],
    [readme, 0],
  ] as const) {
    for (const line of text.split('\n')) {
      const cell = line.split('|')[column + 1]?.trim() ?? ''
      const key = nameOf(cell)
      const twin = key === undefined ? undefined : TWINS[key]
      if (twin !== undefined && !cell.includes(`\`${twin}\``)) missing.push(`${cell}: no ${twin}`)
    }
  }
  t.same(missing, [])
})

t.test("the README's short table: each row an option, with the table's default", async (t) => {
  const problems = optionDocsProblems(OPTIONS, readme, { allowOthers: false, nameOf })
  t.same(
    problems.filter((p) => !p.endsWith('an option the docs do not list')),
    [],
  )
})

t.test('the docs list the variables of every option the environment may set', async (t) => {
  const row = page.split('\n').find((line) => line.includes('`PINO_ADVANCED_<OPTION>`')) ?? ''
  const listed = [...row.matchAll(/`(?:PINO_ADVANCED)?_([A-Z_]+)`/g)].map((m) => (m[1] as string).toLowerCase())
  t.same(listed.sort(), Object.keys(ENV_TEXT).sort())
})
