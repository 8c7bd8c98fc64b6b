import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { records, tempDir } from '../../../test/helpers/child.ts'
import { getLogger, getStats, shutdown } from '../src/index.ts'

t.test('the module-level getLogger, getStats and shutdown share one registry', async (t) => {
  const file = join(tempDir(), 'index.log')
  const logger = getLogger({ name: 'index', console: false, file })
  t.equal(getLogger({ name: 'index', console: false, file }), logger)
  t.same(Object.keys(getStats()), ['index'])
  logger.warning('hello')
  await shutdown()
  t.match(getStats(), { index: { file: { received: 1, delivered: 1, buffered: 0 } } }, 'the final counts')
  t.match(records(readFileSync(file, 'utf8')), [{ level: 40, name: 'index', msg: 'hello' }])
})
