import type { OptionTable } from './option-table.js'

// An option table's command-line face: which flags take numbers or nothing, and the usage.

/** The options whose command-line text is a number when it is all digits, and the switches. */
export function cliRules(table: OptionTable): { numeric: ReadonlySet<string>; switches: ReadonlySet<string> } {
  const numeric = new Set<string>()
  const switches = new Set<string>()
  for (const [key, option] of Object.entries(table)) {
    for (const flag of option.cli) {
      if (flag.numeric === true) numeric.add(flag.flag ?? key)
      if (flag.value === undefined) switches.add(flag.flag ?? key)
    }
  }
  return { numeric, switches }
}

const FLAG_COLUMN = 28

function shownSuffix(shown: string): string {
  if (shown === 'none') return ''
  return shown === 'required' ? ' (required)' : ` (default ${shown})`
}

/** The usage's option lines: `  --capacity N   records held (default 100)`. */
export function usageLines(table: OptionTable): string {
  const lines: string[] = []
  for (const [key, option] of Object.entries(table)) {
    for (const flag of option.cli) {
      const head = `  --${flag.flag ?? key}${flag.value === undefined ? '' : ` ${flag.value}`}`
      const text = flag.doc ?? `${option.doc}${shownSuffix(option.shown)}`
      lines.push(`${head.padEnd(FLAG_COLUMN - 1)} ${text}`)
    }
  }
  return lines.join('\n')
}
