// The end of the process, every way it comes, with every destination in pino's worker
// (use_queue). Cases in exit-cases.ts; split by placement so that the files run in parallel.
import t from 'tap'
import { ENDINGS, everyRecordArrives } from './exit-cases.ts'

for (const ending of ENDINGS) {
  for (const async of [true, false]) {
    t.test(
      `${ending.how}, use_queue true, handlers async ${async}: every record reaches console, file, HTTP and SMTP`,
      (t) => everyRecordArrives(t, ending, true, async),
    )
  }
}
