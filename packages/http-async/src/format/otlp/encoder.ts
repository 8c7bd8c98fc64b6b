import type { BodyEncoder } from '../encoder.js'
import { recordText } from '../encoder.js'
import { otlpAnswerReader } from './answer.js'
import { jsonSerialiser } from './json.js'
import { type LogRecordModel, type ResourceFields, toLogRecord } from './mapping.js'
import type { ResolvedOtlpOptions } from './options.js'
import { protobufSerialiser, type ResourceLogsModel } from './protobuf.js'

/** The OTLP/HTTP specification's retryable statuses (not 408, 500: those are final there). */
export const OTLP_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

interface Group extends ResourceLogsModel {
  readonly name: string | undefined
  readonly hostname: string | undefined
  readonly pid: number | undefined
  readonly records: LogRecordModel[]
}

const same = (group: Group, record: LogRecordModel) =>
  group.name === record.name && group.hostname === record.hostname && group.pid === record.pid

/**
 * `format: 'otlp'`: each batch one ExportLogsServiceRequest, a ResourceLogs per distinct
 * (name, hostname, pid) of its records (one, when they come from one process), under the
 * configured resource attributes.
 */
export function otlpEncoder(options: ResolvedOtlpOptions, now: () => number = Date.now): BodyEncoder {
  const configured: unknown[] = []
  for (const [key, value] of Object.entries(options.resource)) configured.push(key, value)
  // A field of pino's fills a resource attribute only where the configuration gives none; else
  // it stays an attribute of the record.
  const fields: ResourceFields = Object.freeze({
    name: !Object.hasOwn(options.resource, 'service.name'),
    hostname: !Object.hasOwn(options.resource, 'host.name'),
    pid: !Object.hasOwn(options.resource, 'process.pid'),
  })

  function group(name: string | undefined, hostname: string | undefined, pid: number | undefined): Group {
    const resource = [...configured]
    if (name !== undefined) resource.push('service.name', name)
    if (hostname !== undefined) resource.push('host.name', hostname)
    if (pid !== undefined) resource.push('process.pid', pid)
    return { name, hostname, pid, resource, records: [] }
  }

  const serialise = options.protocol === 'http/json' ? jsonSerialiser() : protobufSerialiser()
  return Object.freeze({
    contentType: options.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    objectsOnly: false,
    retryableStatuses: OTLP_RETRYABLE_STATUSES,
    encode(records, batch) {
      const groups: Group[] = []
      let last: Group | undefined
      for (let i = 0; i < records.length; i++) {
        const record = toLogRecord(recordText(records, i, batch), fields)
        if (last === undefined || !same(last, record)) {
          last = groups.find((g) => same(g, record))
          if (last === undefined) {
            last = group(record.name, record.hostname, record.pid)
            groups.push(last)
          }
        }
        last.records.push(record)
      }
      return serialise(groups, now())
    },
    readAnswer: otlpAnswerReader(options.protocol),
  } satisfies BodyEncoder)
}
