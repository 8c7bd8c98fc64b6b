// A small application logging through getLogger, as the documentation's examples do.
// Run by demo.mjs with a scenario name and a log file path; the demo's HTTP sink and SMTP
// server ports come in DEMO_HTTP_PORT and DEMO_SMTP_PORT.
import { getLogger, shutdown } from '@pino-advanced/get-logger'

const [scenario, file] = process.argv.slice(2)
const http_handler = { host: `localhost:${process.env.DEMO_HTTP_PORT}`, url: '/log', method: 'POST', async: true }
const smtp_handler = {
  mailhost: ['127.0.0.1', Number(process.env.DEMO_SMTP_PORT)],
  fromaddr: 'from@example.com',
  toaddrs: ['to@example.com'],
  subject: 'Log Alert',
  async: true,
}

const scenarios = {
  // "Asynchronous Logging": every destination in one worker thread.
  queue() {
    const logger = getLogger({ name: 'myapp', use_queue: true, file })
    logger.info('This log is handled asynchronously.')
  },
  // "Batch/Buffered Logging": held until capacity or an ERROR.
  memory() {
    const logger = getLogger({
      name: 'myapp',
      level: 'debug',
      file,
      use_memory_handler: true,
      memory_capacity: 100,
      memory_flush_level: 'ERROR',
    })
    logger.debug('Buffered until capacity is reached.')
    logger.info('Also buffered.')
    logger.error('This ERROR triggers an immediate flush.')
  },
  // "Async SMTP/HTTP Handlers".
  handlers() {
    const logger = getLogger({ name: 'myapp', file, smtp_handler, http_handler })
    logger.info('An info record: over HTTP, not mailed (the SMTP handler takes ERROR and above).')
    logger.critical('This message is sent via email and HTTP asynchronously.')
  },
  // An error loop: the first alert is mailed at once, the rest folded into a digest.
  storm() {
    const logger = getLogger({
      name: 'myapp',
      console: false,
      file,
      smtp_handler: { ...smtp_handler, groupIntervalMs: 500 },
    })
    for (let i = 0; i < 500; i++) logger.error({ attempt: i }, i % 10 === 0 ? 'payment failed' : 'db timeout')
  },
  // Development: the console in colour (pino-pretty), the file in Python's %-style format.
  color() {
    const logger = getLogger({
      name: 'myapp',
      formatter: 'color',
      file,
      fmt: '%(asctime)s [%(levelname)s] %(name)s: %(message)s',
    })
    logger.info({ user: 7 }, 'A coloured line on the console, a formatted one in the file.')
    logger.warning('Careful.')
  },
  // Python's RotatingFileHandler: app.log, app.log.1 (newest) ... app.log.3.
  rotation() {
    const logger = getLogger({
      name: 'myapp',
      console: false,
      use_queue: true,
      rotating_file: { filename: file, max_bytes: 4096, backup_count: 3 },
    })
    for (let i = 0; i < 200; i++) logger.info({ i }, 'a record that will be rotated out')
  },
  // The tip: queue + memory buffer + HTTP; a record logged right before process.exit() arrives.
  exit() {
    const logger = getLogger({ name: 'myapp', use_queue: true, use_memory_handler: true, file, http_handler })
    logger.warning('Logged right before process.exit(): still delivered.')
    process.exit(0)
  },
}

scenarios[scenario]()
await shutdown()
