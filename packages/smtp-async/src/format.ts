import { levelName } from '@pino-advanced/core'
import type { Digest } from './digest.js'
import { renderSubject } from './subject.js'

export interface MailContent {
  readonly subject: string
  readonly text: string
  /** The raw pino lines of the listed records, one per line. */
  readonly ndjson: string
}

type Fields = Record<string, unknown>

function parse(line: string): Fields {
  try {
    const value = JSON.parse(line) as unknown
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Fields
  } catch {}
  return { msg: line.trim() }
}

/** The message of a record, for the subject and the digest's tally. */
export function recordMessage(line: string): string {
  const { msg, err } = parse(line)
  if (typeof msg === 'string' && msg !== '') return msg
  const message = (err as Fields | undefined)?.message
  return typeof message === 'string' ? message : ''
}

const OMIT = new Set(['level', 'time', 'msg', 'err', 'pid', 'hostname', 'name', 'v'])

function when(time: unknown): string {
  return typeof time === 'number' ? new Date(time).toISOString() : typeof time === 'string' ? time : '-'
}

function describeRecord(fields: Fields): string {
  const level = typeof fields.level === 'number' ? levelName(fields.level).toUpperCase() : String(fields.level ?? '-')
  const lines = [`[${when(fields.time)}] ${level} ${String(fields.msg ?? '')}`]
  const err = fields.err as Fields | undefined
  if (err && typeof err === 'object') {
    const stack = typeof err.stack === 'string' ? err.stack : `${String(err.type ?? 'Error')}: ${String(err.message)}`
    lines.push(...stack.split('\n').map((l) => `    ${l}`))
  }
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !OMIT.has(k)))
  if (Object.keys(rest).length > 0) lines.push(`    ${JSON.stringify(rest)}`)
  return lines.join('\n')
}

function summary(digest: Digest): string {
  // Called only when records went unlisted, so the tally holds at least one message.
  const [first, ...others] = [...digest.tally].sort((a, b) => b[1] - a[1]) as [[string, number], ...[string, number][]]
  const count = (n: number) => n.toLocaleString('en-US')
  const parts = [
    `${count(first[1])} of them '${first[0]}'`,
    ...others.slice(0, 4).map(([m, n]) => `${count(n)} '${m}'`),
  ]
  if (others.length > 4) parts.push(`${count(others.slice(4).reduce((s, [, n]) => s + n, 0))} with other messages`)
  return `... and ${count(digest.unlisted)} more, ${parts.join(', ')}.`
}

/** The mail for a digest: subject from the template, readable text, the raw records. */
export function formatMail(digest: Digest, subjectTemplate: string, defaultHostname: string): MailContent {
  const records = digest.listed.map(parse)
  // A digest lists at least its first record (maxRecordsPerEmail >= 1).
  const first = records[0] as Fields
  const highest = Math.max(...records.map((r) => (typeof r.level === 'number' ? r.level : 0)))
  const subject = renderSubject(subjectTemplate, {
    level: highest > 0 ? levelName(highest) : String(first.level ?? ''),
    msg: recordMessage(digest.listed[0] as string),
    name: typeof first.name === 'string' ? first.name : '',
    hostname: typeof first.hostname === 'string' ? first.hostname : defaultHostname,
    count: digest.count,
  })
  const header =
    digest.count === 1
      ? '1 record'
      : `${digest.count.toLocaleString('en-US')} records${digest.unlisted > 0 ? ` (the first ${digest.listed.length} in full)` : ''}`
  const text = [
    `${header}:`,
    '',
    ...records.map(describeRecord),
    ...(digest.unlisted > 0 ? ['', summary(digest)] : []),
    '',
    'The records in full, as pino wrote them, are attached (records.ndjson).',
    '',
  ].join('\n')
  const ndjson = digest.listed.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join('')
  return { subject, text, ndjson }
}
