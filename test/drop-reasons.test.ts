// The drop reasons docs/get-logger.md lists are exactly core's table, each with its meaning;
// the one constant still spelled outside core (OTLP's, in a format module) agrees with it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DROP_REASON_FAMILIES, DROP_REASONS } from '../packages/core/src/drop-reasons.ts'
import { OTLP_REJECTED } from '../packages/http-async/src/format/otlp/answer.ts'
import { TOO_LARGE_REASON } from '../packages/http-async/src/outcome.ts'

const DOC = join(import.meta.dirname, '..', 'docs', 'get-logger.md')

/** The rows of the table under the `#### Drop reasons` heading, as [reason, meaning]. */
function docRows(): string[][] {
  const lines = readFileSync(DOC, 'utf8').split('\n')
  const start = lines.indexOf('#### Drop reasons')
  const rows: string[][] = []
  if (start < 0) return []
  for (const line of lines.slice(start + 1)) {
    const cells = line.split('|').slice(1, -1)
    if (line.startsWith('|')) rows.push(cells.map((cell) => cell.trim()))
    else if (rows.length > 0) break
  }
  return rows.slice(2)
}

const expected = [
  ...Object.values(DROP_REASONS).map((r) => [`\`${r.name}\``, r.meaning]),
  ...DROP_REASON_FAMILIES.map((f) => [`\`${f.pattern}\``, f.meaning]),
]

t.test("the docs table of drop reasons is core's table", async (t) => {
  t.same(docRows(), expected)
})

t.test('the names are unique, and the constants spelled elsewhere are in the table', async (t) => {
  const names = Object.values(DROP_REASONS).map((r) => r.name)
  t.same(
    names.filter((n, i) => names.indexOf(n) !== i),
    [],
  )
  t.ok(names.includes(OTLP_REJECTED as never), OTLP_REJECTED)
  t.match(TOO_LARGE_REASON, /^http-\d{3}$/, 'http-413 is of the http-<status> family')
  t.ok(Object.isFrozen(DROP_REASONS) && Object.values(DROP_REASONS).every(Object.isFrozen))
})
