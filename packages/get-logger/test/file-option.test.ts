// `file` that cannot be a log file is refused by getLogger itself, naming the option, wherever
// the file would be written (the main thread, or pino's worker with use_queue).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { LoggerRegistry } from '../src/get-logger.ts'

t.test('a directory, or a path under a regular file: a ConfigError naming file', async (t) => {
  const regular = join(tempDir(), 'plain')
  writeFileSync(regular, '')
  const seen: unknown[] = []
  for (const [file, why] of [
    [tempDir(), 'it is a directory'],
    [join(regular, 'app.log'), 'a part of its path is a file'],
    [join(regular, 'deeper', 'app.log'), 'a part of its path is a file'],
  ] as const) {
    for (const use_queue of [false, true]) {
      const registry = new LoggerRegistry()
      try {
        registry.getLogger({ console: false, file, use_queue })
        seen.push('accepted')
        await registry.shutdown()
      } catch (err) {
        const { name, code, option, message } = err as Record<string, string>
        seen.push({ name, code, option, says: message === `file: ${file} cannot be opened for appending: ${why}` })
      }
    }
  }
  const refused = { name: 'ConfigError', code: 'PA_INVALID_OPTION', option: 'file', says: true }
  t.same(seen, Array(6).fill(refused))
})
