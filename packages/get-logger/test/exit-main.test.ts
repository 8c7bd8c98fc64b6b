// The end of the process, every way it comes, without the queue: console and file written from
// the application's thread, handlers in the worker (async) or on the application's thread.
import t from 'tap'
import { ENDINGS, everyRecordArrives } from './exit-cases.ts'

for (const ending of ENDINGS) {
  for (const async of [true, false]) {
    t.test(
      `${ending.how}, use_queue false, handlers async ${async}: every record reaches console, file, HTTP and SMTP`,
      (t) => everyRecordArrives(t, ending, false, async),
    )
  }
}
