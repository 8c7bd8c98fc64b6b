// The end of the process, every way it comes, with every destination in pino's worker
// (use_queue). Cases in exit-cases.ts; split by placement so that the files run in parallel.
// Each ending runs once: under use_queue a handler's `async` changes nothing (plan.ts puts
// every destination in the worker either way).
import t from 'tap'
import { ENDINGS, everyRecordArrives } from './exit-cases.ts'

for (const ending of ENDINGS) {
  t.test(`${ending.how}, use_queue true: every record reaches console, file, HTTP and SMTP`, (t) =>
    everyRecordArrives(t, ending, true, true),
  )
}
