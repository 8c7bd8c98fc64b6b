// A user installing from the registry: every package packed as `pnpm pack` makes it (workspace
// versions resolved), installed with npm into a fresh project outside the workspace, then used
// by name: each transport through pino.transport, getLogger with flush(), each command's
// --version, and a TypeScript file type-checked against the installed types (module nodenext).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from './helpers/child.ts'

const ROOT = join(import.meta.dirname, '..')
const dev = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 })

t.test('packed, installed with npm in a fresh project, used by package name', async (t) => {
  const packs = tempDir()
  run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], ROOT)
  const app = join(tempDir(), 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  const tarballs = ['core', 'get-logger', 'http-async', 'memory-buffer', 'smtp-async'].map((name) =>
    join(packs, `pino-advanced-${name}-0.1.0.tgz`),
  )
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...tarballs,
      `pino@${dev.pino}`,
      `typescript@${dev.typescript}`,
      `@types/node@${dev['@types/node']}`,
    ],
    app,
  )

  writeFileSync(
    join(app, 'use.mjs'),
    `
import { createServer } from 'node:http'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import pino from 'pino'
import { flush, getLogger, shutdown } from '@pino-advanced/get-logger'
let received = 0
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (d) => (body += d))
  req.on('end', () => { received += JSON.parse(body).length; res.end() })
})
server.listen(0)
await once(server, 'listening')
const url = 'http://127.0.0.1:' + server.address().port + '/log'
const transport = pino.transport({ targets: [
  { target: '@pino-advanced/http-async', options: { url, flushIntervalMs: 10 }, level: 'info' },
  { target: '@pino-advanced/memory-buffer', options: { destination: 'buffered.log', capacity: 2 }, level: 'info' },
] })
const logger = pino(transport)
logger.info('one')
logger.info('two')
const logged = getLogger({ name: 'app', console: false, http_handler: { url, flushIntervalMs: 60000 } })
logged.warning('three')
const { complete } = await flush()
await new Promise((resolve) => { transport.on('close', resolve); transport.end() })
await shutdown()
server.close()
console.log(JSON.stringify({ complete, received, buffered: readFileSync('buffered.log', 'utf8').split('\\n').length - 1 }))
`,
  )
  t.same(JSON.parse(run(process.execPath, ['use.mjs'], app)), { complete: true, received: 3, buffered: 2 })

  const versions = ['pino-http-async', 'pino-smtp-async', 'pino-memory-buffer'].map((bin) =>
    run(join(app, 'node_modules', '.bin', bin), ['--version'], app).trim(),
  )
  t.same(versions, ['0.1.0', '0.1.0', '0.1.0'])

  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false },
      include: ['typed.ts'],
    }),
  )
  writeFileSync(
    join(app, 'typed.ts'),
    `
import { flush, getLogger } from '@pino-advanced/get-logger'
import type { HttpAsyncOptions } from '@pino-advanced/http-async'
import type { MemoryBufferOptions } from '@pino-advanced/memory-buffer'
import type { SmtpAsyncOptions } from '@pino-advanced/smtp-async'
import type { Logger } from 'pino'
const http: HttpAsyncOptions = { url: 'https://logs.example.com/ingest', maxConcurrentRequests: 16 }
const smtp: SmtpAsyncOptions = { mailhost: 'smtp.example.com', fromaddr: 'a@example.com', toaddrs: ['b@example.com'] }
const buffer: MemoryBufferOptions = { capacity: 50, mode: 'ring' }
const logger: Logger = getLogger({ name: 'typed', http_handler: http, smtp_handler: smtp })
// @ts-expect-error a typo in an option name
getLogger({ http_handler: { url: 'https://x', maxBatchRecordz: 1 } })
logger.info({ buffer }, 'typed')
await flush({ timeoutMs: 100 })
`,
  )
  // Exits non-zero (and says why) on any type error, or an expected one that did not happen.
  run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app)
})
