import { readFileSync } from 'node:fs'
import { constants } from 'node:os'
import type { Readable, Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { ConfigError } from './errors.js'
import { type DeliveryStats, STATS_EVENT } from './stats.js'

/** Where a command reads and writes: the process, or buffers in tests. */
export interface CliIo {
  readonly stdin: Readable
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  /** Where SIGINT and SIGTERM arrive (the process; an emitter in tests). */
  readonly signals?: {
    once(signal: NodeJS.Signals, listener: () => void): unknown
    removeListener(signal: NodeJS.Signals, listener: () => void): unknown
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

export interface FlagRules {
  /** Options whose command-line text means a number when it is all digits. */
  readonly numeric: ReadonlySet<string>
  /** Flags that take no value (`--secure`). */
  readonly switches?: ReadonlySet<string>
  /**
   * A flag that needs more than text (`--header 'Name: value'`, `--ca FILE`): store it and
   * return true, or return false to take it as text. May throw a ConfigError.
   */
  readonly special?: (key: string, text: string, options: Record<string, unknown>) => boolean
}

export interface TransportCli extends FlagRules {
  /** The command's name, the prefix of its error lines. */
  readonly name: string
  /** The package's version, for --version. */
  readonly version: string
  /** Drop reasons that are the transport working as asked (a ring keeping the newest): exit 0. */
  readonly intendedDrops?: ReadonlySet<string>
  readonly usage: string
  /** Options the command sets unless a flag does (a destination, say). */
  readonly defaults?: Readonly<Record<string, unknown>>
  /** The package's resolveOptions: throws a ConfigError for a bad flag. */
  readonly validate: (options: Record<string, unknown>) => unknown
  /** The package's transport factory. */
  readonly start: (options: Record<string, unknown>) => Promise<Writable>
}

/** The version in the package.json next to the folder of `moduleUrl` (a package's src/ or dist/ file). */
export function packageVersion(moduleUrl: string): string {
  return (JSON.parse(readFileSync(new URL('../package.json', moduleUrl), 'utf8')) as { version: string }).version
}

/** A usage error about one flag. */
export function flagError(option: string, message: string): ConfigError {
  return ConfigError.invalid(option, message)
}

/**
 * The flags both network transports take: `--credentials USER:PASS` (as the documented
 * `[user, password]`), `--ca FILE` (the PEM text), and `--secure=false` besides the bare switch.
 * Returns false for any other flag.
 */
export function networkFlag(key: string, text: string, options: Record<string, unknown>): boolean {
  if (key === 'credentials') {
    const colon = text.indexOf(':')
    // Never echo the value: it holds a password.
    if (colon < 1) throw flagError('credentials', 'expected USER:PASSWORD')
    options.credentials = [text.slice(0, colon), text.slice(colon + 1)]
  } else if (key === 'ca') {
    options.ca = readFileSync(text, 'utf8')
  } else if (key === 'secure') {
    options.secure = text === 'true'
  } else {
    return false
  }
  return true
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

/**
 * `--max-batch-records=5 --url http://x` as options (`{ maxBatchRecords: 5, url: 'http://x' }`),
 * validated later by the package: an unknown flag is reported there as an unknown option, with
 * the nearest known name, like a typo in code. node:util's parseArgs cuts the arguments into
 * flags and values (`=` or the next argument, `--` ends the flags); kebab-case names are the
 * camelCase options. A flag followed by another flag has no value: a usage error naming it.
 */
export function parseFlags(argv: readonly string[], rules: FlagRules): Record<string, unknown> {
  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true })
  const options: Record<string, unknown> = {}
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as (typeof tokens)[number]
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') {
      // A word where a flag was expected: reported by the package as an unknown option.
      options[camel(token.value)] = ''
      continue
    }
    const key = camel(token.name)
    let text: string
    if (token.inlineValue === true) text = token.value as string
    else if (rules.switches?.has(key)) {
      options[key] = true
      continue
    } else {
      const next = tokens[i + 1]
      // `--url --secure`: the next flag is not this one's value.
      if (next?.kind === 'option') throw flagError(key, `expected a value, got the flag ${next.rawName}`)
      text = next?.kind === 'positional' ? next.value : ''
      if (next !== undefined) i++
    }
    if (rules.special?.(key, text, options)) continue
    options[key] = rules.numeric.has(key) && /^\d+$/.test(text) ? Number(text) : text
  }
  return options
}

/**
 * Runs a transport as a command, as pino transports conventionally ship:
 * `node app.js | pino-<name> --flag value`. Resolves with the exit code: 0 once every record
 * was delivered; 1 when the transport dropped any (it said which on stderr); 2 for a usage
 * error (printed with the command's name and a pointer to --help); 128 + the signal's number
 * after SIGINT or SIGTERM (Ctrl-C on the pipeline), which end the input: what the transport
 * holds is delivered within its closeTimeoutMs first.
 */
export async function runTransportCli(argv: readonly string[], io: CliIo, cli: TransportCli): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(cli.usage)
    return 0
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    io.stdout.write(`${cli.version}\n`)
    return 0
  }
  let options: Record<string, unknown>
  try {
    options = { ...cli.defaults, ...parseFlags(argv, cli) }
    cli.validate(options)
  } catch (err) {
    io.stderr.write(`${cli.name}: ${(err as Error).message} (--help for usage)\n`)
    return 2
  }
  const stream = await cli.start(options)
  let last: DeliveryStats | undefined
  stream.on(STATS_EVENT, (stats: DeliveryStats) => {
    last = stats
  })
  let signalled: NodeJS.Signals | undefined
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      signalled = signal
      // The rest of the input is not waited for: what was read is delivered, then the exit.
      io.stdin.unpipe(stream)
      stream.end()
    }
    io.signals?.once(signal, listener)
    return [signal, listener] as const
  })
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
  io.stdin.pipe(stream)
  await closed
  for (const [signal, listener] of listeners) io.signals?.removeListener(signal, listener)
  if (signalled !== undefined) return 128 + (constants.signals[signalled] as number)
  const lost = Object.keys(last?.dropped ?? {}).filter((reason) => !cli.intendedDrops?.has(reason))
  return lost.length > 0 ? 1 : 0
}
