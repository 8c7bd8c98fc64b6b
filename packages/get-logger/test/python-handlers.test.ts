// Issue 18's handler rows through getLogger, with the handler on each thread: filter_func in
// front of every destination, http_handler posting as Python's HTTPHandler (format 'form').
import t from 'tap'
import { pkg, runScript } from '../../../test/helpers/child.ts'
import { startHttpSink } from '../../../test/helpers/http-sink.ts'

for (const async of [true, false]) {
  t.test(`filter_func and format 'form' through getLogger (http_handler async ${async})`, async (t) => {
    const sink = await startHttpSink({ parse: (request) => [Object.fromEntries(new URLSearchParams(request.body))] })
    t.teardown(() => sink.close())
    const run = await runScript(`
      import { getLogger, getStats, shutdown } from ${JSON.stringify(pkg('get-logger'))}
      const logger = getLogger({
        name: 'py', console: false,
        filter_func: (record) => record.msg !== 'healthcheck',
        http_handler: { host: '127.0.0.1:${sink.port}', url: '/log', method: 'post', format: 'form', async: ${async} },
      })
      logger.info('healthcheck')
      logger.warning({ user: 7 }, 'kept')
      logger.exception(new Error('boom'), 'failed')
      await shutdown()
      console.log(JSON.stringify(getStats().py))
    `)
    t.equal(run.code, 0, run.stderr)
    t.match(sink.records, [
      { name: 'py', msg: 'kept', levelname: 'WARNING', levelno: '30', user: '7' },
      { name: 'py', msg: 'failed', levelname: 'ERROR', exc_text: /^Error: boom\n\s+at / },
    ])
    const stats = JSON.parse(run.stdout)
    t.match(stats, {
      filter: { received: 3, delivered: 2, dropped: { filtered: 1 } },
      'http-async': { received: 2, delivered: 2 },
    })
  })
}
