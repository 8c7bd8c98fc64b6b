// What each package's tarball holds, as `npm pack` makes it (run after `pnpm build`): the
// build, the sources its maps point at, README and LICENSE, and the metadata the registry
// shows; not the build's own bookkeeping; READMEs whose links work on the registry.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOT = join(import.meta.dirname, '..')
const PACKAGES = ['core', 'get-logger', 'http-async', 'memory-buffer', 'smtp-async']

t.test('every tarball holds dist, src, README and LICENSE, the metadata, and working links', async (t) => {
  const problems: string[] = []
  for (const name of PACKAGES) {
    const dir = join(ROOT, 'packages', name)
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }]
    const files = new Set(packed.files.map((f) => f.path))
    for (const want of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']) {
      if (!files.has(want)) problems.push(`${name}: ${want} missing`)
    }
    for (const path of files) if (path.endsWith('.tsbuildinfo')) problems.push(`${name}: ships ${path}`)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    for (const key of ['repository', 'homepage', 'bugs', 'keywords', 'license']) {
      if (manifest[key] === undefined) problems.push(`${name}: no ${key}`)
    }
    if ((manifest.engines as { node?: string } | undefined)?.node !== '>=20.18.1') {
      problems.push(`${name}: engines.node is not >=20.18.1 (undici 7 needs it)`)
    }
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    for (const [link] of readme.matchAll(/\]\((?!https?:|#)[^)]*\)/g)) problems.push(`${name}: README links ${link}`)
  }
  t.same(problems, [])
})
