import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import t from 'tap'
import { unrefSocket } from '../src/mailer.ts'

t.test('the main-thread socket: a connection that never completes times out as a retryable ETIMEDOUT', async (t) => {
  // A listening socket that never accepts, its one-slot accept queue filled: the kernel drops
  // further SYNs, so the connection hangs (node's own servers always accept).
  const listener = spawn('python3', [
    '-c',
    'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)',
  ])
  t.teardown(() => listener.kill())
  const [line] = (await once(createInterface({ input: listener.stdout }), 'line')) as [string]
  const port = Number(line)
  const fillers = [1, 2, 3].map(() => connect({ host: '127.0.0.1', port }).on('error', () => {}))
  t.teardown(() => {
    for (const f of fillers) f.destroy()
  })
  const [err, socketOptions] = await new Promise<[Error | null, unknown]>((resolve) =>
    unrefSocket('127.0.0.1', port, 300)({}, (...args) => resolve([args[0], args[1]])),
  )
  t.match(err, { code: 'ETIMEDOUT', message: `connection to 127.0.0.1:${port} timed out` })
  t.equal(socketOptions, undefined)
})
