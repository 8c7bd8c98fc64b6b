// Snippets in the docs that users copy: the known ways they broke.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOT = join(import.meta.dirname, '..')
const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/README.md`),
]

t.test('no snippet passes a multistream as pino options, or writes pino/file into a missing folder', async (t) => {
  const problems: string[] = []
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), 'utf8')
    // pino 10 reads a lone first argument as options: such a logger never writes.
    if (/pino\(\s*(pino\.)?multistream\(/.test(text)) problems.push(`${page}: pino(multistream) without options first`)
    for (const [snippet] of text.matchAll(/target: 'pino\/file', options: \{[^}]*\}/g)) {
      if (/destination: '[^']*\//.test(snippet) && !snippet.includes('mkdir: true')) {
        problems.push(`${page}: ${snippet} (the folder may not exist: mkdir: true)`)
      }
    }
  }
  t.same(problems, [])
})
