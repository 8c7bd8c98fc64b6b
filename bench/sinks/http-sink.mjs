// A counting HTTP sink for bench/http-async.mjs, run as a SEPARATE process (so that its work
// does not share the benchmark's event loop):
//   node bench/sinks/http-sink.mjs    -> prints {"port":N} on stdout, then serves on 127.0.0.1
// POST/PUT bodies: JSON arrays or NDJSON of pino records (gzip decoded); every record is
// counted (by its `{"level":` opening: pino writes it first in every record, and the bench's
// records hold no nested `level` key). Answers 200 with an empty body. The peers' formats are
// counted too: Loki's push API, Elasticsearch's _bulk (answered as Elasticsearch would),
// @logtail's msgpack array, and Python's HTTPHandler (one form-encoded record per request).
// GET /count answers {"records":N,"requests":N}; so does the last line on stdout when stdin
// ends. `--delay-ms N` answers every POST/PUT N ms late (a slow endpoint); `--port N` listens on
// that port.
import { createServer } from 'node:http'
import { gunzipSync } from 'node:zlib'

const OPENING = Buffer.from('{"level":')
const delayAt = process.argv.indexOf('--delay-ms')
const DELAY_MS = delayAt === -1 ? 0 : Number(process.argv[delayAt + 1])
let recordsTotal = 0
let requests = 0

function count(body) {
  let n = 0
  for (let at = body.indexOf(OPENING); at !== -1; at = body.indexOf(OPENING, at + OPENING.length)) n++
  return n
}

/** Records in a msgpack array (@logtail's body): its header says how many. */
function msgpackCount(body) {
  const b = body[0]
  if (b >= 0x90 && b <= 0x9f) return b - 0x90
  if (b === 0xdc) return body.readUInt16BE(1)
  if (b === 0xdd) return body.readUInt32BE(1)
  return 0
}

/** Counts the records of a request in whichever peer's format it came. */
function records(req, body) {
  const type = req.headers['content-type'] ?? ''
  // pino-loki: { streams: [{ stream, values: [[ts, line], ...] }] }
  if (req.url.startsWith('/loki/api/v1/push')) {
    return JSON.parse(body.toString()).streams.reduce((n, s) => n + s.values.length, 0)
  }
  // pino-elasticsearch: _bulk NDJSON, an action line before every document.
  if (req.url.includes('_bulk'))
    return (
      body
        .toString()
        .split('\n')
        .filter((l) => l !== '').length / 2
    )
  if (type.includes('msgpack')) return msgpackCount(body)
  // Python's HTTPHandler: one record per request, form-encoded.
  if (type.includes('x-www-form-urlencoded')) return 1
  return count(body)
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ records: recordsTotal, requests }))
    return
  }
  // What Elasticsearch's client checks before it sends (product header, version).
  res.setHeader('x-elastic-product', 'Elasticsearch')
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ version: { number: '8.19.0' }, tagline: 'You Know, for Search' }))
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const raw = Buffer.concat(chunks)
    const n = records(req, req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw)
    recordsTotal += n
    requests++
    let answer = ''
    if (req.url.includes('_bulk')) {
      res.setHeader('content-type', 'application/json')
      answer = JSON.stringify({
        took: 1,
        errors: false,
        items: Array.from({ length: n }, () => ({ index: { status: 201 } })),
      })
    }
    if (DELAY_MS > 0) setTimeout(() => res.end(answer), DELAY_MS)
    else res.end(answer)
  })
})
server.keepAliveTimeout = 60_000
const portAt = process.argv.indexOf('--port')
server.listen(portAt === -1 ? 0 : Number(process.argv[portAt + 1]), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
// The parent ending stdin ends the sink: no more requests (connections closed; a request whose
// body has not fully arrived is neither counted nor answered), then the final counts on stdout.
process.stdin.resume()
process.stdin.on('end', () => {
  server.close()
  server.closeAllConnections()
  process.stdout.write(`${JSON.stringify({ records: recordsTotal, requests })}\n`, () => process.exit(0))
})
