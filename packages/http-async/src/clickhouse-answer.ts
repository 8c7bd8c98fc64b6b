import type { Batch } from '@pino-advanced/core'
import { classifyStatus, type DropOutcome, type PartialOutcome } from './outcome.js'

/**
 * ClickHouse exception codes that say the request itself is wrong: its data (a row that does
 * not parse, a value of the wrong type) or its query (unknown table, column, setting; bad
 * syntax). Sending the same request again gets the same answer, whatever the status: ClickHouse
 * answers most of these 500, which the design's table would retry forever. Any other code
 * (MEMORY_LIMIT_EXCEEDED 241, TOO_MANY_PARTS 252, TIMEOUT_EXCEEDED 159, TOO_MANY_SIMULTANEOUS_QUERIES
 * 202, TABLE_IS_READ_ONLY 242, NETWORK_ERROR 210...) keeps the status's rule. Numbers are
 * ClickHouse's ErrorCodes, the same from 18.x to today. Listed in docs/clickhouse.md.
 */
export const CLICKHOUSE_PERMANENT_CODES: ReadonlyMap<number, string> = new Map([
  [6, 'CANNOT_PARSE_TEXT'],
  [16, 'NO_SUCH_COLUMN_IN_TABLE'],
  [25, 'CANNOT_PARSE_ESCAPE_SEQUENCE'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [32, 'ATTEMPT_TO_READ_AFTER_EOF'],
  [33, 'CANNOT_READ_ALL_DATA'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [60, 'UNKNOWN_TABLE'],
  [62, 'SYNTAX_ERROR'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [73, 'UNKNOWN_FORMAT'],
  [81, 'UNKNOWN_DATABASE'],
  [115, 'UNKNOWN_SETTING'],
  [117, 'INCORRECT_DATA'],
  [130, 'CANNOT_READ_ARRAY_FROM_TEXT'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [376, 'CANNOT_PARSE_UUID'],
])

// ClickHouse's exception text, from the body's first byte: "Code: 27, e.displayText() =
// DB::Exception: ..." (18.x to 20.x), "Code: 27. DB::Exception: ..." (21.x on). No other server
// says DB::Exception, so this needs no option saying the endpoint is ClickHouse.
const EXCEPTION = /^Code: (\d+)(?:, e\.displayText\(\) =|\.) DB::Exception:/
// The row a format's parser stopped at, counted from 1 over the rows it read.
const AT_ROW = /\(at row (\d+)\)/
// Never worth waiting for: the rest of the batch goes again at once.
const RESEND_NOW = 0
const NO_STATUS_RETRIED: ReadonlySet<number> = new Set()

/** The code of a ClickHouse exception answer (`said`, the start of its body), if it is one. */
export function clickhouseCode(said: string): number | undefined {
  const match = EXCEPTION.exec(said)
  return match === null ? undefined : Number(match[1])
}

/**
 * What a refusal from ClickHouse comes to when its code is a permanent one; undefined for any
 * other answer (2xx, another server, a code worth a retry), which the status then decides.
 * When the exception names the row it stopped at (a row of the wrong type, a line that is not
 * JSON), that record alone is dropped and the others go again at once: ClickHouse inserts a
 * batch of fewer than max_insert_block_size (1,048,576) rows whole or not at all, so none of
 * them was stored. Otherwise (unknown table, a bad query) the whole batch is dropped, counted
 * under `http-<status>` with ClickHouse's message.
 */
export function clickhouseOutcome(
  status: number,
  said: string,
  records: readonly Uint8Array[],
  batch?: Batch<Uint8Array>,
): DropOutcome | PartialOutcome | undefined {
  if (status < 300) return undefined
  const code = clickhouseCode(said)
  if (code === undefined || !CLICKHOUSE_PERMANENT_CODES.has(code)) return undefined
  const dropAll = classifyStatus(status, undefined, 0, said, NO_STATUS_RETRIED) as DropOutcome
  const row = AT_ROW.exec(said)
  const refused = row === null ? -1 : recordOfRow(records, Number(row[1]), batch)
  if (refused === -1 || records.length === 1) return dropAll
  const indices: number[] = []
  for (let i = 0; i < records.length; i++) if (i !== refused) indices.push(i)
  return {
    kind: 'partial',
    drops: [{ reason: dropAll.reason, count: 1, message: `${dropAll.message} (record ${refused + 1} of the batch)` }],
    retry: {
      indices,
      outcome: {
        kind: 'retry',
        reason: dropAll.reason,
        message: `resending the other ${indices.length} records of a batch ClickHouse refused for one row`,
        retryAfterMs: RESEND_NOW,
      },
    },
  }
}

/**
 * The batch position of ClickHouse's row `row` (from 1), -1 if there is none. Its parsers skip
 * lines of whitespace alone (empty lines never reach the batch), so those are not counted.
 */
function recordOfRow(records: readonly Uint8Array[], row: number, batch?: Batch<Uint8Array>): number {
  let seen = 0
  for (let i = 0; i < records.length; i++) {
    if (!isBlank(records, i, batch) && ++seen === row) return i
  }
  return -1
}

function isBlank(records: readonly Uint8Array[], i: number, batch?: Batch<Uint8Array>): boolean {
  const line = records[i] as Uint8Array
  const start = batch === undefined ? 0 : (batch.offsets[i] as number)
  const end = start + (batch === undefined ? line.byteLength : (batch.sizes[i] as number))
  for (let k = start; k < end; k++) {
    const byte = line[k] as number
    // ClickHouse's whitespace: space, \t, \n, \v, \f, \r.
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false
  }
  return true
}
