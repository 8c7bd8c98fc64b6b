// pnpm demo: runs the example app (app.mjs) through getLogger in each documented mode, with an
// HTTP sink and an SMTP server started here, and shows what each destination received.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSmtp } from './smtp-server.mjs'

const app = fileURLToPath(new URL('app.mjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'pino-advanced-demo-'))

// The HTTP sink: records every request body it is sent.
const httpRequests = []
const http = createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (d) => {
    body += d
  })
  req.on('end', () => {
    httpRequests.push({ method: req.method, url: req.url, body })
    res.end()
  })
})
http.listen(0, '127.0.0.1')
await once(http, 'listening')
const smtp = await startSmtp()

const describe = (r) => `level ${r.level}  ${r.name ?? ''}  ${r.msg}`
const show = (label, list) => {
  console.log(`  ${label}: ${list.length} record(s)`)
  for (const line of list.slice(0, 6)) console.log(`    ${line}`)
  if (list.length > 6) console.log(`    ... and ${list.length - 6} more`)
}
const lines = (text) => text.split('\n').filter((l) => l.startsWith('{'))

function run(scenario, file) {
  const child = spawn(process.execPath, [app, scenario, file], {
    env: { ...process.env, DEMO_HTTP_PORT: String(http.address().port), DEMO_SMTP_PORT: String(smtp.port) },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  return once(child, 'close').then(() => ({ stdout, stderr }))
}

const scenarios = [
  ['queue', 'use_queue: true (every destination in one worker thread)'],
  ['memory', 'use_memory_handler: true, memory_capacity: 100, memory_flush_level: ERROR'],
  ['handlers', 'smtp_handler + http_handler, async: true; then logger.critical(...)'],
  ['storm', 'an error loop: 500 errors in a burst, SMTP storm control folds them into digests'],
  ['exit', 'use_queue + use_memory_handler + HTTP, then process.exit(0) right after logging'],
  ['color', "formatter: 'color' on the console, fmt: '%(asctime)s [%(levelname)s] %(name)s: %(message)s' in the file"],
  ['rotation', 'rotating_file: { max_bytes: 4096, backup_count: 3 }, 200 records, use_queue'],
]

/** Text lines as they are (colour, fmt); the rotated files as Python names them. */
function showText(name, file, stdout) {
  if (name === 'color') {
    console.log('  console received (as printed):')
    for (const line of stdout.trimEnd().split('\n')) console.log(`    ${line}`)
    console.log(`  file ${file} received:`)
    for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) console.log(`    ${line}`)
    return
  }
  const names = readdirSync(dirname(file)).filter((n) => n.startsWith(basename(file)))
  console.log(`  files: ${names.sort().join(', ')}`)
  for (const n of names.sort()) {
    const records = lines(readFileSync(join(dirname(file), n), 'utf8')).map((l) => JSON.parse(l).i)
    console.log(`    ${n}: ${records.length} records (i ${records[0]}..${records.at(-1)})`)
  }
}

for (const [name, title] of scenarios) {
  const file = join(dir, `${name}.log`)
  const httpBefore = httpRequests.length
  const mailBefore = smtp.messages.length
  const { stdout, stderr } = await run(name, file)
  console.log(`\n== ${title}`)
  if (name === 'color' || name === 'rotation') {
    showText(name, file, stdout)
    if (stderr.trim()) console.log(`  stderr: ${stderr.trim()}`)
    continue
  }
  show(
    'console received',
    lines(stdout).map((l) => describe(JSON.parse(l))),
  )
  show(
    `file ${file} received`,
    lines(readFileSync(file, 'utf8')).map((l) => describe(JSON.parse(l))),
  )
  const posts = httpRequests.slice(httpBefore)
  const delivered = posts.flatMap((p) => JSON.parse(p.body))
  console.log(
    `  HTTP sink received ${posts.length} request(s) (${posts.map((p) => `${p.method} ${p.url}`).join(', ')})`,
  )
  show('  with', delivered.map(describe))
  const mails = smtp.messages.slice(mailBefore)
  console.log(`  SMTP server received ${mails.length} mail(s)`)
  for (const mail of mails)
    console.log(`    Subject: ${mail.subject}   (${mail.text.split('\n').length} lines of text)`)
  if (stderr.trim()) console.log(`  stderr: ${stderr.trim().split('\n').join('\n          ')}`)
}

http.close()
await smtp.close()
