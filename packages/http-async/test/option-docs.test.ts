// The README's option table and the option table in the code say the same options, defaults included.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { optionDocsProblems } from '../../../test/helpers/option-docs.ts'
import { OPTIONS } from '../src/options.ts'

t.test("the README's option table lists every option, with its default", async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  t.same(optionDocsProblems(OPTIONS, readme), [])
})
