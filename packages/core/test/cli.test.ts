import { EventEmitter } from 'node:events'
import { PassThrough, Writable } from 'node:stream'
import t from 'tap'
import { cliIo as io } from '../../../test/helpers/cli-io.ts'
import { flagError, networkFlag, parseFlags, runTransportCli, type TransportCli } from '../src/cli.ts'
import { ConfigError } from '../src/errors.ts'
import { STATS_EVENT } from '../src/stats.ts'

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
  t.same(
    parseFlags(['--offset=-5', 'stray', '--capacity', '3', '--'], rules),
    { offset: '-5', stray: '', capacity: 3 },
    '= takes anything; a stray word becomes an unknown option; a trailing -- ends the flags',
  )
  t.throws(() => parseFlags(['--url', '--secure'], rules), {
    name: 'ConfigError',
    option: 'url',
    message: 'url: expected a value, got the flag --secure',
  })
  t.same(flagError('header', 'bad'), new ConfigError('PA_INVALID_OPTION', 'header', 'header: bad'))
})

function cli(received: string[], seen: Record<string, unknown>[]): TransportCli {
  return {
    ...rules,
    name: 'pino-test',
    version: '1.2.3',
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

t.test('--version prints the version and exits 0', async (t) => {
  const x = io([])
  t.equal(await runTransportCli(['--version'], x.io, cli([], [])), 0)
  t.same(x.out, ['1.2.3\n'])
})

/** A transport stand-in that counts what it was given, drops what `drop` says, and says so in its last stats. */
function counting(drop: (line: string) => boolean) {
  const lines: string[] = []
  return {
    lines,
    start: async () => {
      let dropped = 0
      const stream: Writable = new Writable({
        write(chunk, _enc, cb) {
          for (const line of String(chunk).split('\n').filter(Boolean)) {
            if (drop(line)) dropped++
            else lines.push(line)
          }
          cb()
        },
        final(cb) {
          // Ending delivers what is held (here: nothing) and publishes the final counts.
          setImmediate(() => {
            stream.emit(STATS_EVENT, {
              destination: 't',
              received: lines.length + dropped,
              delivered: lines.length,
              dropped: dropped ? { overflow: dropped } : {},
              retried: 0,
              buffered: 0,
            })
            cb()
          })
        },
      })
      return stream
    },
  }
}

t.test('exit 1 when the transport dropped records, 0 when it delivered them all or dropped as asked', async (t) => {
  const codes: number[] = []
  for (const [drop, intended] of [
    [() => false, undefined],
    [(line: string) => line.includes('"drop"'), undefined],
    [(line: string) => line.includes('"drop"'), new Set(['overflow'])],
  ] as const) {
    const x = io(['{"a":1}\n{"drop":1}\n'])
    const run = { ...cli([], []), start: counting(drop).start, ...(intended ? { intendedDrops: intended } : {}) }
    codes.push(await runTransportCli([], x.io, run))
  }
  t.same(codes, [0, 1, 0])
})

t.test('SIGINT or SIGTERM ends the input: what was read is delivered, then exit 128 + n', async (t) => {
  const results: unknown[] = []
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const signals = new EventEmitter()
    // An input that never ends by itself (the application is still running).
    const stdin = new PassThrough()
    const x = io([])
    const transport = counting(() => false)
    const running = runTransportCli([], { ...x.io, stdin, signals }, { ...cli([], []), start: transport.start })
    stdin.write('{"a":1}\n')
    await new Promise((resolve) => setImmediate(resolve))
    signals.emit(signal)
    results.push([await running, transport.lines, signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')])
  }
  t.same(results, [
    [130, ['{"a":1}'], 0],
    [143, ['{"a":1}'], 0],
  ])
})
