// Every option combination with use_queue: true (cases in matrix-cases.ts).
import t from 'tap'
import { matrix } from './matrix-cases.ts'

for (const memory of [false, true]) {
  for (const withConsole of [false, true]) {
    t.test(
      `use_queue true, use_memory_handler ${memory}, console ${withConsole}: file and each handler's placement, all combinations`,
      (t) => matrix(t, true, memory, withConsole),
    )
  }
}
