import type { Batch } from '@pino-advanced/core'
import { type BodyEncoder, recordText } from '../encoder.js'
import { LabelSets } from './labels.js'
import type { ResolvedLokiOptions } from './options.js'
import { BodyWriter } from './writer.js'

type Parsed = Readonly<Record<string, unknown>>

// Past this a `time` in ms would print in exponent form as nanoseconds (and is year 33658).
const MAX_TIME_MS = 1e15
// Records without a time of one batch get the send time plus their position in nanoseconds:
// Loki keeps only one of two entries of a stream with the same timestamp and line.
const NANOS_PER_MS = 1_000_000

/** The record as an object, or undefined for a line that is not a JSON object. */
function parseObject(text: string): Parsed | undefined {
  // A line that starts with "{" and parses is an object; others are told without an exception.
  if (text.charCodeAt(0) !== 0x7b) return undefined
  try {
    return JSON.parse(text) as Parsed
  } catch {
    return undefined
  }
}

/**
 * pino's `time` in nanoseconds, exact: milliseconds with six zeros (a product would lose
 * digits past 2^53). An ISO string (pino's stdTimeFunctions.isoTime) is read too.
 */
function timeNanos(time: unknown): string | undefined {
  const ms = typeof time === 'string' ? Date.parse(time) : time
  if (typeof ms !== 'number' || !(ms >= 0 && ms < MAX_TIME_MS)) return undefined
  return `${Math.trunc(ms)}000000`
}

/** A structured metadata value: Loki takes strings only. */
function metadataValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * `loki`: the push API's JSON, `{"streams":[{"stream":{labels},"values":[[ns, line, meta?]]}]}`.
 * Each line is parsed once (labels, time, metadata) and sent as the text pino wrote (or its
 * `msg`), never re-serialised: JSON.stringify of the text is its only copy.
 */
export function lokiEncoder(options: ResolvedLokiOptions, now: () => number = Date.now): BodyEncoder {
  const labelSets = new LabelSets(options)
  const message = options.line === 'message'
  const metadataFields = options.structuredMetadataFields

  /** `,{"trace_id":"…"}`, or '' when the record has none of the fields. */
  function metadata(record: Parsed): string {
    let members = ''
    for (const field of metadataFields) {
      const value = metadataValue(record[field])
      if (value === undefined) continue
      members += `${members === '' ? '' : ','}"${field}":${JSON.stringify(value)}`
    }
    return members === '' ? '' : `,{${members}}`
  }

  function encode(records: readonly Uint8Array[], batch?: Batch<Uint8Array>): Buffer {
    // Each stream's values, each value with the comma before it but the first.
    const streams = new Map<string, string[]>()
    let chars = 16
    let sentMs: string | undefined
    const sendNanos = (i: number) => {
      sentMs ??= String(now())
      return `${sentMs}${String(i % NANOS_PER_MS).padStart(6, '0')}`
    }
    for (let i = 0; i < records.length; i++) {
      const text = recordText(records, i, batch)
      const record = parseObject(text)
      const labels = record === undefined ? labelSets.plain() : labelSets.of(record)
      let values = streams.get(labels)
      if (values === undefined) {
        values = []
        streams.set(labels, values)
        chars += labels.length + 24
      }
      const comma = values.length === 0 ? '' : ','
      let value: string
      if (record === undefined) {
        value = `${comma}["${sendNanos(i)}",${JSON.stringify(text)}]`
      } else {
        const nanos = timeNanos(record.time) ?? sendNanos(i)
        const msg = record.msg
        const line = message && typeof msg === 'string' ? msg : text
        value = `${comma}["${nanos}",${JSON.stringify(line)}${metadataFields.length === 0 ? '' : metadata(record)}]`
      }
      values.push(value)
      chars += value.length
    }
    const body = new BodyWriter(chars)
    body.write('{"streams":[')
    let first = true
    for (const [labels, values] of streams) {
      body.write(`${first ? '' : ','}{"stream":${labels},"values":[`)
      for (const value of values) body.write(value)
      body.write(']}')
      first = false
    }
    body.write(']}')
    return body.done()
  }

  return Object.freeze({
    contentType: 'application/json',
    // Loki's line is text: a line that is not JSON goes as it is.
    objectsOnly: false,
    ...(options.tenant === undefined ? {} : { headers: Object.freeze({ 'x-scope-orgid': options.tenant }) }),
    encode,
  } satisfies BodyEncoder)
}
