// Servers that never answer: the process still ends within the deadline and reports the loss.
import t from 'tap'
import { ENDINGS, hungServersReported } from './exit-cases.ts'

for (const ending of ENDINGS.slice(0, 3)) {
  for (const useQueue of [true, false]) {
    t.test(
      `${ending.how}, use_queue ${useQueue}: HTTP and SMTP servers that hang; the process still ends and reports what was lost`,
      (t) => hungServersReported(t, ending, useQueue),
    )
  }
}
