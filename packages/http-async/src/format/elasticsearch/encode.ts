import type { Batch } from '@pino-advanced/core'
import type { BodyEncoder } from '../encoder.js'
import { readBulkAnswer } from './answer.js'
import { compileIndexPattern } from './index-pattern.js'
import type { ResolvedElasticsearchOptions } from './options.js'
import { KeyFinder, recordTime } from './record-scan.js'

const NEWLINE = 0x0a
const CLOSE_BRACE = 0x7d
const ZERO = 0x30
const HOUR_MS = 3_600_000
const SECOND_MS = 1000
const Z = 0x5a
const QUOTE = 0x22
const COMMA = 0x2c

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}

/** `{}` (spaces allowed): a field spliced in then takes no comma after it. */
function isEmptyObject(line: Uint8Array, start: number, end: number): boolean {
  let at = start + 1
  while (at < end - 1 && isSpace(line[at])) at++
  return line[at] === CLOSE_BRACE && at === end - 1
}

/**
 * The `_bulk` body: per record an action line (`{"index":{"_index":"pino-2026.12.03"}}`) and
 * the record's own bytes, each line ending in a newline, as Elasticsearch and OpenSearch
 * require. Nothing is parsed: a dated index reads the record's `time` from its bytes, and the
 * action line is built once per hour of records (the finest date part is the hour). With
 * opType 'create' (data streams, which require it) `"@timestamp"` (ISO 8601, UTC, from `time`,
 * or the send time) is spliced in after the record's `{`, unless it has one already.
 */
export function elasticsearchEncoder(options: ResolvedElasticsearchOptions, now: () => number = Date.now): BodyEncoder {
  const pattern = compileIndexPattern('elasticsearch.index', options.index)
  const create = options.opType === 'create'
  const readTime = pattern.fixed === undefined || create
  const actionLine = (index: string) => Buffer.from(`{"${options.opType}":{"_index":"${index}"}}\n`)
  const fixedAction = pattern.fixed === undefined ? undefined : actionLine(pattern.fixed)
  const timestamps = new KeyFinder('"@timestamp":')
  let hour = Number.NaN
  let hourAction = fixedAction as Buffer
  let second = Number.NaN
  let secondStamp = Buffer.alloc(0)
  // Per record, reused from batch to batch (encode() runs to its end before the next call):
  // its action line; with create, the start of its @timestamp (none: undefined), and time.
  let actions: Buffer[] = []
  let stamps: (Buffer | undefined)[] = []
  let times = new Float64Array(0)
  let commas = new Uint8Array(0)

  const actionAt = (ms: number): Buffer => {
    if (fixedAction !== undefined) return fixedAction
    const h = Math.floor(ms / HOUR_MS)
    if (h !== hour) {
      hour = h
      hourAction = actionLine(pattern.name(ms))
    }
    return hourAction
  }
  // `"@timestamp":"2026-12-03T09:00:00.`, once a second: the milliseconds are written as digits.
  const stampAt = (ms: number): Buffer => {
    const s = Math.floor(ms / SECOND_MS)
    if (s !== second) {
      second = s
      secondStamp = Buffer.from(`"@timestamp":"${new Date(ms).toISOString().slice(0, -4)}`, 'latin1')
    }
    return secondStamp
  }

  function grow(n: number): void {
    actions = new Array(n)
    stamps = new Array(n)
    times = new Float64Array(n)
    commas = new Uint8Array(n)
  }

  function encode(records: readonly Uint8Array[], batch?: Batch<Uint8Array>): Buffer {
    const n = records.length
    if (actions.length < n) grow(n)
    const sendTime = now()
    let size = 0
    for (let i = 0; i < n; i++) {
      const line = records[i] as Uint8Array
      const start = batch === undefined ? 0 : (batch.offsets[i] as number)
      const end = batch === undefined ? line.byteLength : start + (batch.sizes[i] as number)
      let ms = readTime ? recordTime(line, start, end) : sendTime
      if (ms === -1) ms = sendTime
      const action = actionAt(ms)
      actions[i] = action
      size += action.length + end - start + 1
      const stamp = create && !timestamps.has(line, start, end) ? stampAt(ms) : undefined
      stamps[i] = stamp
      if (stamp !== undefined) {
        times[i] = ms
        commas[i] = isEmptyObject(line, start, end) ? 0 : 1
        // The milliseconds, `Z"`, the comma.
        size += stamp.length + 3 + 2 + (commas[i] as number)
      }
    }
    timestamps.reset()
    const body = Buffer.allocUnsafe(size)
    let at = 0
    for (let i = 0; i < n; i++) {
      const line = records[i] as Uint8Array
      const start = batch === undefined ? 0 : (batch.offsets[i] as number)
      const end = batch === undefined ? line.byteLength : start + (batch.sizes[i] as number)
      const action = actions[i] as Buffer
      body.set(action, at)
      at += action.length
      const stamp = stamps[i]
      if (stamp === undefined) {
        body.set(batch === undefined ? line : line.subarray(start, end), at)
        at += end - start
      } else {
        // `{`, the field, then the rest of the record.
        body[at++] = line[start] as number
        body.set(stamp, at)
        at += stamp.length
        const ms = (times[i] as number) % SECOND_MS
        body[at++] = ZERO + Math.floor(ms / 100)
        body[at++] = ZERO + (Math.floor(ms / 10) % 10)
        body[at++] = ZERO + (ms % 10)
        body[at++] = Z
        body[at++] = QUOTE
        // Before the record's own fields; `{}` has none.
        if (commas[i] === 1) body[at++] = COMMA
        body.set(line.subarray(start + 1, end), at)
        at += end - start - 1
      }
      body[at++] = NEWLINE
    }
    return body
  }

  return Object.freeze({
    contentType: 'application/x-ndjson',
    objectsOnly: true,
    encode,
    readAnswer: readBulkAnswer,
  } satisfies BodyEncoder)
}
