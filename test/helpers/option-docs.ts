import type { OptionTable } from '../../packages/core/src/option-table.ts'

interface DocsTable {
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

function cells(line: string): string[] {
  return line
    .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim())
}

/** Every markdown table of a page: its header cells (lower-cased) and its rows. */
function tablesOf(markdown: string): DocsTable[] {
  const tables: DocsTable[] = []
  let lines: string[] = []
  for (const line of [...markdown.split('\n'), '']) {
    if (line.startsWith('|')) {
      lines.push(line)
      continue
    }
    if (lines.length > 2) {
      tables.push({ header: cells(lines[0] as string).map((c) => c.toLowerCase()), rows: lines.slice(2).map(cells) })
    }
    lines = []
  }
  return tables
}

const plain = (text: string) => text.replaceAll('`', '').toLowerCase()

export interface OptionDocsRules {
  /** How the docs write an option's name (default `` `name` ``). */
  readonly nameCell?: (key: string) => string
  /** The header of the name column (default `option`). */
  readonly nameColumn?: string
  /** Rows of that column that are not the table's options (another table's) may be left alone. */
  readonly allowOthers?: boolean
  /** The option a name cell is about, where the cells differ in form (`` `fmt` ``, `` `formatter: 'color'` ``). */
  readonly nameOf?: (cell: string) => string | undefined
}

function ownKey(table: OptionTable, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? key : undefined
}

/**
 * Where a page's option tables and an option table disagree: an option not documented, a
 * documented one that is not an option, or a default column that does not begin with the
 * table's default. Returns the problems (none: they agree).
 */
export function optionDocsProblems(table: OptionTable, markdown: string, rules: OptionDocsRules = {}): string[] {
  const nameCell = rules.nameCell ?? ((key: string) => `\`${key}\``)
  const nameColumn = rules.nameColumn ?? 'option'
  const tables = tablesOf(markdown).filter((t) => t.header.includes(nameColumn))
  const problems: string[] = []
  const expected = new Map(Object.keys(table).map((key) => [nameCell(key), key]))
  const seen = new Set<string>()
  for (const { header, rows } of tables) {
    const nameAt = header.indexOf(nameColumn)
    const defaultAt = header.indexOf('default')
    for (const row of rows) {
      const name = row[nameAt] ?? ''
      const key = rules.nameOf === undefined ? expected.get(name) : ownKey(table, rules.nameOf(name))
      if (key === undefined) {
        if (rules.allowOthers !== true) problems.push(`${name}: documented, but not an option`)
        continue
      }
      seen.add(key)
      const shown = (table[key] as OptionTable[string]).shown
      const cell = row[defaultAt]
      if (defaultAt >= 0 && cell !== undefined && !plain(cell).startsWith(plain(shown))) {
        problems.push(`${name}: the docs say the default is ${cell}; the option table says ${shown}`)
      }
    }
  }
  for (const key of Object.keys(table)) if (!seen.has(key)) problems.push(`${key}: an option the docs do not list`)
  return problems
}
