// Issue 19: no source file over 300 lines (one that grows past it is holding two concepts).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const MAX_LINES = 300
const packages = join(import.meta.dirname, '..', 'packages')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

t.test(`every source file has at most ${MAX_LINES} lines`, async (t) => {
  const files = readdirSync(packages).flatMap((name) => sources(join(packages, name, 'src')))
  const long = files
    .map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file.slice(packages.length + 1)}: ${lines}`)
  t.ok(files.length > 50, 'the sources were found')
  t.same(long, [])
})
