// A small application logging through getLogger, as the documentation's examples do.
// Run by demo.mjs with a scenario name and a log file path; prints pino lines on stdout.
import { getLogger, shutdown } from '@pino-advanced/get-logger'

const [scenario, file] = process.argv.slice(2)

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
  // The tip: queue + memory buffer; a record logged right before process.exit() still arrives.
  exit() {
    const logger = getLogger({ name: 'myapp', use_queue: true, use_memory_handler: true, file })
    logger.warning('Logged right before process.exit(): still delivered.')
    process.exit(0)
  },
}

scenarios[scenario]()
await shutdown()
