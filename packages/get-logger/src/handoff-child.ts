// The exit handoff's child process (see exit-handoff.ts): reads the jobs from stdin, gives each
// to its transport package's deliverUnsent, and exits when all are done (each bounded by its
// own closeTimeoutMs). Failures are reported on stderr by the transports themselves.
import { pathToFileURL } from 'node:url'
import { deserialize } from 'node:v8'
import { type HandoffJob, unsentCount } from './exit-handoff.js'

type Deliver = (options: unknown, unsent: unknown) => Promise<void>

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const jobs = deserialize(Buffer.concat(chunks)) as HandoffJob[]
let failed = false
await Promise.all(
  jobs.map(async (job) => {
    const transport = (await import(pathToFileURL(job.target).href)) as { deliverUnsent: Deliver }
    try {
      await transport.deliverUnsent(job.options, job.unsent)
    } catch (err) {
      failed = true
      // The transport could not even start here (its spool is held by a live process, say):
      // said in one line, no stack trace; the exit code tells the parent.
      process.stderr.write(
        `pino-advanced/get-logger: exit: ${unsentCount(job.unsent)} record(s) could not be delivered: ${(err as Error).message}\n`,
      )
    }
  }),
)
// Done (each transport reported what it could not deliver): an idle pooled socket must not
// keep the parent waiting.
process.exit(failed ? 1 : 0)
