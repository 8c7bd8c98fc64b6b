import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDiagnostics } from '@pino-advanced/core'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { handOff, unsentCount } from '../src/exit-handoff.ts'

const target = fileURLToPath(new URL('./fixtures/handoff-targets.mjs', import.meta.url))

function capture() {
  const lines: string[] = []
  return { lines, diagnostics: createDiagnostics({ source: 'get-logger', write: (l) => lines.push(l) }) }
}

t.test('unsentCount: lines and every other list a transport hands over', async (t) => {
  t.equal(unsentCount({ lines: [] }), 0)
  t.equal(unsentCount({ lines: ['a', 'b'] }), 2)
  t.equal(unsentCount({ lines: ['a'], mails: [{}, {}], note: 'x' } as never), 3)
  t.equal(unsentCount({ lines: [], spooled: 4 }), 4, 'records a transport keeps in its spool')
})

t.test(
  'the child gets each job (options by structured clone: Buffers survive); nothing to do spawns nothing',
  async (t) => {
    const file = join(tempDir(), 'jobs.ndjson')
    const { lines, diagnostics } = capture()
    const options = { mode: 'record', file, ca: Buffer.from('PEM') }
    handOff(
      [
        { target, options, unsent: { lines: ['{"i":1}'] } },
        { target, options, unsent: { lines: [] } },
      ],
      5000,
      diagnostics,
    )
    t.same(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [{ lines: ['{"i":1}'], ca: { type: 'Buffer', data: [80, 69, 77] } }],
    )
    handOff([{ target, options, unsent: { lines: [] } }], 5000, diagnostics)
    t.same(lines, [])
  },
)

t.test('a child that fails or overruns its deadline is reported with the records it held', async (t) => {
  const { lines, diagnostics } = capture()
  handOff([{ target, options: { mode: 'fail' }, unsent: { lines: ['a', 'b'] } }], 5000, diagnostics)
  t.match(lines, [/exit: the process delivering 2 record\(s\) left by main-thread handlers failed \(exit 1\)/])
  handOff([{ target, options: { mode: 'hang' }, unsent: { lines: ['a'] } }], 300, diagnostics)
  t.match(lines[1], /delivering 1 record\(s\) .* did not finish within 300 ms/)
})
