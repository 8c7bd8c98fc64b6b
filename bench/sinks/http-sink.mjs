// A counting HTTP sink for bench/http-async.mjs, run as a SEPARATE process (so that its work
// does not share the benchmark's event loop):
//   node bench/sinks/http-sink.mjs    -> prints {"port":N} on stdout, then serves on 127.0.0.1
// POST/PUT bodies: JSON arrays or NDJSON of pino records (gzip decoded); every record is
// counted (by its `{"level":` opening: pino writes it first in every record, and the bench's
// records hold no nested `level` key). Answers 200 with an empty body.
// GET /count answers {"records":N,"requests":N}. `--delay-ms N` answers every POST/PUT N ms late
// (a slow endpoint).
import { createServer } from 'node:http'
import { gunzipSync } from 'node:zlib'

const OPENING = Buffer.from('{"level":')
const delayAt = process.argv.indexOf('--delay-ms')
const DELAY_MS = delayAt === -1 ? 0 : Number(process.argv[delayAt + 1])
let records = 0
let requests = 0

function count(body) {
  let n = 0
  for (let at = body.indexOf(OPENING); at !== -1; at = body.indexOf(OPENING, at + OPENING.length)) n++
  return n
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ records, requests }))
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const raw = Buffer.concat(chunks)
    records += count(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw)
    requests++
    if (DELAY_MS > 0) setTimeout(() => res.end(), DELAY_MS)
    else res.end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
// The parent going away ends the sink.
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
