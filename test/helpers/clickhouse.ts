/**
 * A real ClickHouse server for tests, started from Debian's clickhouse-server (installed by
 * .ci/run), on loopback ports free at start, with its config, data and logs in a temp dir.
 *
 *   const ch = await startClickHouse()
 *   t.teardown(() => ch.close())
 *   await ch.query('CREATE TABLE logs (...) ENGINE = MergeTree ORDER BY time')
 *   const url = `${ch.url}/?query=${encodeURIComponent('INSERT INTO logs FORMAT JSONEachRow')}`
 *
 * Kept small for a 2-core machine: tiny caches, no system log tables, few threads.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

export interface ClickHouse {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  /** Runs one statement over HTTP; resolves with the body, rejects with ClickHouse's message. */
  query(sql: string): Promise<string>
  /** A counter of system.events (server-wide since start; 0 before it first happens). */
  event(name: string): Promise<number>
  /** SIGTERM, then waits for the exit (SIGKILL past the bound); removes the temp dir. Idempotent. */
  close(): Promise<void>
}

const START_BOUND_MS = 30_000
const STOP_BOUND_MS = 15_000

/**
 * The server binary: Debian's clickhouse-server (in /usr/sbin, not on every PATH), or upstream's
 * `clickhouse` multitool. Looked up, not run: `clickhouse-server --help` exits non-zero.
 */
function serverCommand(): string[] {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin']
  const find = (name: string) => dirs.map((dir) => join(dir, name)).find((file) => existsSync(file))
  const debian = find('clickhouse-server')
  if (debian !== undefined) return [debian]
  const upstream = find('clickhouse')
  if (upstream !== undefined) return [upstream, 'server']
  throw new Error('clickhouse-server is not installed (apt-get install clickhouse-server; .ci/run does it)')
}

/** A loopback port nobody listens on now (ClickHouse cannot be given port 0). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

function config(dir: string, httpPort: number, tcpPort: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/log/server.log</log>
    <errorlog>${dir}/log/server.err.log</errorlog>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>16777216</mark_cache_size>
  <uncompressed_cache_size>0</uncompressed_cache_size>
  <max_concurrent_queries>16</max_concurrent_queries>
  <max_connections>64</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <mlock_executable>false</mlock_executable>
  <background_pool_size>2</background_pool_size>
  <background_schedule_pool_size>2</background_schedule_pool_size>
</yandex>
`
}

// The `default` user, no password, from loopback only.
const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_threads>2</max_threads></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`

export async function startClickHouse(): Promise<ClickHouse> {
  const command = serverCommand()
  const dir = mkdtempSync(join(tmpdir(), 'pa-clickhouse-'))
  const httpPort = await freePort()
  let tcpPort = await freePort()
  while (tcpPort === httpPort) tcpPort = await freePort()
  writeFileSync(join(dir, 'config.xml'), config(dir, httpPort, tcpPort))
  writeFileSync(join(dir, 'users.xml'), USERS)
  const [bin, ...args] = command as [string, ...string[]]
  const child = spawn(bin, [...args, `--config-file=${join(dir, 'config.xml')}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = once(child, 'exit')
  // A test process ended abruptly (a tap timeout) must not leave a server behind.
  const orphaned = () => child.kill('SIGKILL')
  process.once('exit', orphaned)
  void exited.then(() => process.removeListener('exit', orphaned))
  const url = `http://127.0.0.1:${httpPort}`
  const server = { child, exited, dir }
  try {
    await ready(url, child, () => `${stderr}${errorLog(dir)}`)
  } catch (err) {
    await stop(server)
    throw err
  }
  let closing: Promise<void> | undefined
  return {
    url,
    query: (sql) => query(url, sql),
    async event(name) {
      const text = await query(url, `SELECT sum(value) FROM system.events WHERE event = '${name}'`)
      return Number(text.trim())
    },
    close() {
      closing ??= stop(server)
      return closing
    },
  }
}

async function query(url: string, sql: string): Promise<string> {
  const res = await fetch(`${url}/`, { method: 'POST', body: sql })
  const text = await res.text()
  if (!res.ok) throw new Error(`ClickHouse answered ${res.status} to ${sql}: ${text.trim()}`)
  return text
}

/** Resolves once GET /ping answers "Ok."; rejects if the server exits first or past the bound. */
async function ready(url: string, child: ChildProcess, said: () => string): Promise<void> {
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`clickhouse-server exited (${child.exitCode ?? child.signalCode}) before answering: ${said()}`)
    }
    const answer = await fetch(`${url}/ping`).then(
      (res) => res.text(),
      () => '',
    )
    if (answer.trim() === 'Ok.') return
    if (Date.now() - started > START_BOUND_MS) {
      throw new Error(`clickhouse-server did not answer /ping within ${START_BOUND_MS} ms: ${said()}`)
    }
    // Polled: the server says nothing when it is ready.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function errorLog(dir: string): string {
  const file = join(dir, 'log', 'server.err.log')
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-2000) : ''
}

async function stop(server: { child: ChildProcess; exited: Promise<unknown>; dir: string }): Promise<void> {
  const { child, exited, dir } = server
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_BOUND_MS)
    await exited
    clearTimeout(killer)
  }
  rmSync(dir, { recursive: true, force: true })
}
