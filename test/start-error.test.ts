// A bad option in pino's worker: the error the application's 'error' listener receives keeps
// the ConfigError's name, code and option, and names the target (through thread-stream, an
// Error's own fields do not survive the thread; see core's startTransport).
import { once } from 'node:events'
import pino from 'pino'
import t from 'tap'

const cases: readonly (readonly [string, Record<string, unknown>, string])[] = [
  ['@pino-advanced/http-async', { url: 'http://127.0.0.1:9/x', maxBatchRecordz: 1 }, 'maxBatchRecordz'],
  ['@pino-advanced/smtp-async', { mailhost: 'localhost', fromaddr: 'a@b', toaddrs: 'c@d', levle: 'error' }, 'levle'],
  ['@pino-advanced/memory-buffer', { capacity: -1 }, 'capacity'],
]

t.test('a ConfigError in a worker target reaches the error listener whole, with its target', async (t) => {
  const seen: unknown[] = []
  for (const [target, options, option] of cases) {
    const transport = pino.transport({
      targets: [
        { target, options, level: 'info' },
        { target: 'pino/file', options: { destination: '/dev/null' }, level: 'info' },
      ],
    })
    const [err] = (await once(transport, 'error')) as [Record<string, unknown>]
    const { name, code, message } = err
    seen.push({
      name,
      code,
      option: err.option,
      target: err.target,
      named: String(message).startsWith(`${target}: ${option}: `),
    })
  }
  t.same(
    seen,
    cases.map(([target, , option]) => ({
      name: 'ConfigError',
      code: option === 'capacity' ? 'PA_INVALID_OPTION' : 'PA_UNKNOWN_OPTION',
      option,
      target,
      named: true,
    })),
  )
})
