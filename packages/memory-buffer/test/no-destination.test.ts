// A memory buffer used as a target of its own without `destination` writes to stdout, as
// pino/file does, and lets the process end at once (it held its output, and pino's exit, for
// 10 s before); in a pipeline it still passes its lines to the next stage.
import t from 'tap'
import { pkg, records, runScript } from '../../../test/helpers/child.ts'

for (const form of ['a single target', 'one of several targets']) {
  t.test(`${form}, no destination: the records reach stdout and the process ends`, async (t) => {
    const target = JSON.stringify(pkg('memory-buffer'))
    const transport =
      form === 'a single target'
        ? `{ target: ${target}, options: { capacity: 2 } }`
        : `{ targets: [{ target: ${target}, options: { capacity: 2 }, level: 'info' }, { target: 'pino/file', options: { destination: '/dev/null' } }] }`
    const out = await runScript(
      `
import pino from ${JSON.stringify(import.meta.resolve('pino'))}
const logger = pino({ base: null, timestamp: false }, pino.transport(${transport}))
for (let i = 0; i < 5; i++) logger.info({ i })
`,
      { timeoutMs: 8000 },
    )
    t.notOk(out.timedOut, 'ended well before pino’s 10 s exit limit')
    t.same(
      records(out.stdout).map((r) => r.i),
      [0, 1, 2, 3, 4],
    )
  })
}
