// A slow SMTP server for the benchmarks, run as a separate process:
//   node bench/sinks/smtp-sink.mjs [--delay-ms N]  -> prints {"port":N} on stdout, then serves
// on 127.0.0.1 (no TLS, no AUTH). Every mail is read whole and answered N ms late (a slow
// server); GET-less, so it prints {"mails":N} on stdout each time one is accepted.
import { SMTPServer } from 'smtp-server'

const delayAt = process.argv.indexOf('--delay-ms')
const DELAY_MS = delayAt === -1 ? 0 : Number(process.argv[delayAt + 1])
let mails = 0

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume()
    stream.on('end', () =>
      setTimeout(() => {
        mails++
        process.stdout.write(`${JSON.stringify({ mails })}\n`)
        callback()
      }, DELAY_MS),
    )
  },
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`)
})
