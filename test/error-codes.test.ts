// The error codes docs/get-logger.md lists (its Errors table) are exactly core's ErrorCodes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ErrorCodes } from '../packages/core/src/errors.ts'

t.test("the docs table of error codes is core's list", async (t) => {
  const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'get-logger.md'), 'utf8')
  const section = text.slice(text.indexOf('### Errors'))
  const codes = [...section.matchAll(/^\| `(PA_[A-Z_]+)`/gm)].map((m) => m[1])
  t.same(codes, Object.values(ErrorCodes))
})
