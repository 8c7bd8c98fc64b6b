// console: 'stderr' (where Python's library writes), in each placement of the console.
import t from 'tap'
import { pkg, records, runScript } from '../../../test/helpers/child.ts'

for (const useQueue of [false, true]) {
  t.test(`console: 'stderr' writes there and not to stdout (use_queue ${useQueue})`, async (t) => {
    const run = await runScript(`
      import { getLogger, shutdown } from ${JSON.stringify(pkg('get-logger'))}
      const logger = getLogger({ name: 'errs', console: 'stderr', use_queue: ${useQueue} })
      logger.info('to stderr')
      await shutdown()
    `)
    t.equal(run.code, 0, run.stderr)
    t.same([records(run.stderr).map((r) => r.msg), records(run.stdout)], [['to stderr'], []])
  })
}
