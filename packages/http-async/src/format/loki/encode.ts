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

/** pino's `time` as whole milliseconds (nanoseconds are six zeros more); -1 when unusable. */
function timeMs(time: unknown): number {
  // An ISO string (pino's stdTimeFunctions.isoTime) is read too.
  const ms = typeof time === 'string' ? Date.parse(time) : time
  if (typeof ms !== 'number' || !(ms >= 0 && ms < MAX_TIME_MS)) return -1
  return Math.trunc(ms)
}

/** A structured metadata value: Loki takes strings only. */
function metadataValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * `loki`: the push API's JSON, `{"streams":[{"stream":{labels},"values":[[ns, line, meta?]]}]}`.
 * Each line is parsed once (labels, time, metadata) and sent as the text pino wrote (or its
 * `msg`), never re-serialised: its bytes are escaped from pino's chunk into the body.
 */
export function lokiEncoder(options: ResolvedLokiOptions, now: () => number = Date.now): BodyEncoder {
  const labelSets = new LabelSets(options)
  const message = options.line === 'message'
  const metadataFields = options.structuredMetadataFields
  const body = new BodyWriter()

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
    const count = records.length
    // Streams by label set, in order of first appearance; each a chain of its records.
    const streams = new Map<string, number>()
    const labelSet: string[] = []
    const head: number[] = []
    const tail: number[] = []
    const next = new Int32Array(count).fill(-1)
    // Per record: whole ms (-1: the send time); its text; its msg when that is the line.
    const times = new Float64Array(count)
    const texts: string[] = new Array(count)
    const lines: (string | undefined)[] = new Array(count)
    const metas: string[] = metadataFields.length === 0 ? [] : new Array(count).fill('')
    for (let i = 0; i < count; i++) {
      const text = recordText(records, i, batch)
      texts[i] = text
      const record = parseObject(text)
      const labels = record === undefined ? labelSets.plain() : labelSets.of(record)
      const stream = streams.get(labels)
      if (stream === undefined) {
        streams.set(labels, labelSet.length)
        labelSet.push(labels)
        head.push(i)
        tail.push(i)
      } else {
        next[tail[stream] as number] = i
        tail[stream] = i
      }
      if (record === undefined) {
        times[i] = -1
        continue
      }
      times[i] = timeMs(record.time)
      const msg = record.msg
      if (message && typeof msg === 'string') lines[i] = msg
      if (metadataFields.length > 0) metas[i] = metadata(record)
    }
    let sentMs: string | undefined
    body.reset()
    body.ascii('{"streams":[')
    for (let s = 0; s < labelSet.length; s++) {
      body.text(`${s === 0 ? '' : ','}{"stream":${labelSet[s]},"values":[`)
      for (let i = head[s] as number; i !== -1; i = next[i] as number) {
        body.ascii(i === head[s] ? '["' : ',["')
        const ms = times[i] as number
        if (ms >= 0) {
          body.digits(ms)
          body.ascii('000000",')
        } else {
          sentMs ??= String(now())
          body.ascii(`${sentMs}${String(i % NANOS_PER_MS).padStart(6, '0')}",`)
        }
        writeLine(records, i, batch, lines[i] ?? (texts[i] as string), lines[i] === undefined)
        if (metas.length > 0) body.text(metas[i] as string)
        body.ascii(']')
      }
      body.ascii(']}')
    }
    body.ascii(']}')
    return body.done()
  }

  /** The line as a JSON string: record i's own bytes when `raw`, else `text`. */
  function writeLine(
    records: readonly Uint8Array[],
    i: number,
    batch: Batch<Uint8Array> | undefined,
    text: string,
    raw: boolean,
  ): void {
    if (raw) {
      const line = records[i] as Uint8Array
      const start = batch === undefined ? 0 : (batch.offsets[i] as number)
      const end = start + (batch === undefined ? line.byteLength : (batch.sizes[i] as number))
      const at = body.at
      body.ascii('"')
      if (body.escaped(line, start, end)) {
        body.ascii('"')
        return
      }
      body.rewind(at)
    }
    body.text(JSON.stringify(text))
  }

  return Object.freeze({
    contentType: 'application/json',
    // Loki's line is text: a line that is not JSON goes as it is.
    objectsOnly: false,
    ...(options.tenant === undefined ? {} : { headers: Object.freeze({ 'x-scope-orgid': options.tenant }) }),
    encode,
  } satisfies BodyEncoder)
}
