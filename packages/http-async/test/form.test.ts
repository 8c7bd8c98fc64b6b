// format 'form': one record per request, form-urlencoded with Python's LogRecord names, for
// receivers written for Python's HTTPHandler (POST), and the same fields in GET's query.
import t from 'tap'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'
import { pythonRecord } from '../src/format/form.ts'
import { resolveOptions } from '../src/options.ts'
import { createHttpAsync } from '../src/transport.ts'

const fields = (body: string) => Object.fromEntries(new URLSearchParams(body))

async function deliver(options: Record<string, unknown>, lines: string[]) {
  const sink = await startHttpSink({
    parse: (request) => [fields(request.body || new URL(request.url, 'http://x').search.slice(1))],
  })
  const stream = await createHttpAsync(
    { url: sink.url, flushIntervalMs: 10, ...options },
    { writeDiagnostic: () => {} },
  )
  for (const line of lines) stream.write(`${line}\n`)
  await sink.waitForRecords(lines.length)
  stream.end()
  await new Promise((resolve) => stream.once('close', resolve))
  await sink.close()
  return sink
}

const record = JSON.stringify({
  level: 50,
  time: 1_764_770_709_042,
  pid: 4242,
  hostname: 'web-1',
  name: 'api',
  msg: 'upstream failed',
  err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at handler' },
  user: { id: 7 },
  path: '/items',
})

t.test("POST (method written in any case): one record per request, Python's field names", async (t) => {
  const sink = await deliver({ format: 'form', method: 'post' }, [record, '{"msg":"second"}', 'not json'])
  t.equal(sink.requests.length, 3, 'one request per record')
  t.equal(sink.requests[0]?.headers['content-type'], 'application/x-www-form-urlencoded')
  t.match(sink.records[0], {
    name: 'api',
    msg: 'upstream failed',
    args: '()',
    levelname: 'ERROR',
    levelno: '40',
    created: '1764770709.042',
    msecs: '42',
    process: '4242',
    exc_text: 'Error: boom\n    at handler',
    threadName: 'MainThread',
    processName: 'MainProcess',
    lineno: '0',
    user: '{"id":7}',
    path: '/items',
  })
  t.match(sink.records.slice(1), [
    { name: 'root', msg: 'second', levelname: 'INFO', exc_text: 'None', process: 'None' },
    { msg: 'not json' },
  ])
})

t.test("GET with format 'form': the same fields in the query", async (t) => {
  const sink = await deliver({ format: 'form', method: 'Get' }, [record])
  t.equal(sink.requests[0]?.method, 'GET')
  t.match(sink.records[0], { levelname: 'ERROR', name: 'api', msg: 'upstream failed', user: '{"id":7}' })
})

t.test("Python's level names and numbers; a method that is not one is named", async (t) => {
  const levels = [10, 20, 30, 40, 60, 35].map((level) => {
    const r = pythonRecord(JSON.stringify({ level, time: '2026-12-03T14:05:09.250Z' }))
    return [r.levelname, r.levelno, r.msecs]
  })
  t.same(levels, [
    ['TRACE', '0', '250'],
    ['DEBUG', '10', '250'],
    ['INFO', '20', '250'],
    ['WARNING', '30', '250'],
    ['CRITICAL', '50', '250'],
    ['Level 25', '25', '250'],
  ])
  t.match(pythonRecord('{"level":"warn","msg":{"a":1},"time":"bad"}'), { levelname: 'WARN', msg: '{"a":1}' })
  t.equal(pythonRecord('{"level":30}').msg, '')
  t.throws(() => resolveOptions({ url: 'http://x/log', method: 'PATCH' }), {
    option: 'method',
    message: /received "PATCH"; expected one of 'POST', 'PUT', 'GET' \(any case\)/,
  })
})
