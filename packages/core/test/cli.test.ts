import { Writable } from 'node:stream'
import t from 'tap'
import { cliIo as io } from '../../../test/helpers/cli-io.ts'
import { flagError, networkFlag, parseFlags, runTransportCli, type TransportCli } from '../src/cli.ts'
import { ConfigError } from '../src/errors.ts'

const rules = {
  numeric: new Set(['capacity']),
  switches: new Set(['secure']),
  special: (key: string, text: string, options: Record<string, unknown>) => {
    if (key !== 'pair') return false
    options.pair = text.split(':')
    return true
  },
}

t.test('flags become options: kebab-case to camelCase, = or a separate value, numbers, switches', async (t) => {
  t.same(parseFlags(['--capacity', '5', '--flush-level=warn', '--secure', '--pair', 'a:b', '-x', '12'], rules), {
    capacity: 5,
    flushLevel: 'warn',
    secure: true,
    pair: ['a', 'b'],
    x: '12',
  })
  t.same(parseFlags(['--capacity=5k', '--last'], { numeric: new Set(['capacity']) }), { capacity: '5k', last: '' })
  t.same(flagError('header', 'bad'), new ConfigError('PA_INVALID_OPTION', 'header', 'header: bad'))
})

function cli(received: string[], seen: Record<string, unknown>[]): TransportCli {
  return {
    ...rules,
    name: 'pino-test',
    usage: 'usage: pino-test\n',
    defaults: { destination: 1 },
    validate: (options) => {
      if (options.capacity === 0) throw new ConfigError('PA_INVALID_OPTION', 'capacity', 'capacity: received 0')
    },
    start: async (options) => {
      seen.push(options)
      return new Writable({
        write(chunk, _enc, cb) {
          received.push(String(chunk))
          cb()
        },
      })
    },
  }
}

t.test('--help prints the usage and exits 0', async (t) => {
  const x = io([])
  t.equal(await runTransportCli(['--help'], x.io, cli([], [])), 0)
  t.same(x.out, ['usage: pino-test\n'])
})

t.test('a bad flag is a usage error: exit 2, named, nothing started', async (t) => {
  const x = io([])
  const seen: Record<string, unknown>[] = []
  t.equal(await runTransportCli(['--capacity', '0'], x.io, cli([], seen)), 2)
  t.same(x.err, ['pino-test: capacity: received 0 (--help for usage)\n'])
  t.same(seen, [])
})

t.test('stdin is piped into the transport, with the defaults under the flags', async (t) => {
  const x = io(['{"level":30}\n', '{"level":50}\n'])
  const received: string[] = []
  const seen: Record<string, unknown>[] = []
  t.equal(await runTransportCli(['--capacity', '2', '--destination', 'out.log'], x.io, cli(received, seen)), 0)
  t.same(seen, [{ destination: 'out.log', capacity: 2 }])
  t.same(received.join(''), '{"level":30}\n{"level":50}\n')
})

t.test('networkFlag: credentials, a CA file, --secure=false; anything else is not its business', async (t) => {
  const { mkdtempSync, writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const ca = join(mkdtempSync(join(tmpdir(), 'pa-ca-')), 'ca.pem')
  writeFileSync(ca, 'PEM')
  const options: Record<string, unknown> = {}
  t.equal(networkFlag('credentials', 'ann:pa:ss', options), true)
  t.equal(networkFlag('ca', ca, options), true)
  t.equal(networkFlag('secure', 'false', options), true)
  t.equal(networkFlag('url', 'x', options), false)
  t.same(options, { credentials: ['ann', 'pa:ss'], ca: 'PEM', secure: false })
  const err = t.throws(() => networkFlag('credentials', 'hunter22', {})) as ConfigError
  t.equal(err.option, 'credentials')
  t.notMatch(err.message, 'hunter22')
})
