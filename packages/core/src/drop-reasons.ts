/**
 * Every reason a record can be counted dropped (a key of getStats()'s `dropped`) or retried,
 * in one list, so that the packages, the docs table (checked against it by test/drop-reasons)
 * and a user reading the counts share one vocabulary. The packages' constants
 * (QueueDropReasons, http-async's Reasons...) take their values from here.
 */
export interface DropReason<N extends string = string> {
  readonly name: N
  /** What happened to the record, in one line. */
  readonly meaning: string
}

/** Reasons built from a value (a status, a reply code): a bounded family, one pattern each. */
export interface DropReasonFamily {
  readonly pattern: string
  readonly meaning: string
}

function reason<N extends string>(name: N, meaning: string): DropReason<N> {
  return Object.freeze({ name, meaning })
}

export const DROP_REASONS = Object.freeze({
  overflow: reason('overflow', 'dropped to keep a queue within maxBytes (the oldest waiting, or the newcomer)'),
  recordTooLarge: reason('record-too-large', 'a single record over the per-record byte bound, dropped on arrival'),
  closed: reason('closed', 'arrived after close began'),
  closeTimeout: reason('close-timeout', 'still undelivered when the close deadline passed'),
  retriesExhausted: reason('retries-exhausted', 'a batch still failing after its last retry'),
  timeout: reason('timeout', 'no HTTP answer within timeoutMs (retried)'),
  connectionError: reason('connection-error', 'an HTTP connection error (retried)'),
  sendError: reason('send-error', 'sending a batch failed before any answer (retried)'),
  requestInvalid: reason('request-invalid', 'the HTTP client refused to build the request'),
  notJson: reason('not-json', 'in json format, a line that is not a JSON object'),
  spoolFull: reason('spool-full', "past spool.maxBytes: the spool's oldest unread records were deleted"),
  spoolError: reason('spool-error', 'the spool failed (a disk error); what it held unread stays for the next start'),
  otlpRejected: reason('otlp-rejected', "records an OTLP endpoint's partial success says it rejected"),
  tls: reason('tls', 'the SMTP TLS check failed (a certificate that does not verify)'),
  connection: reason('connection', 'an SMTP connection error, still failing after the last retry'),
  error: reason('error', 'an SMTP failure with no code'),
  ringOverwritten: reason('ring-overwritten', 'ring mode: the oldest held record made room past capacity'),
  ringMaxBytes: reason('ring-max-bytes', 'ring mode: the oldest held record made room past maxBytes'),
  outputError: reason('output-error', "a memory buffer's destination refused what it released"),
  destroyed: reason('destroyed', 'held by a pipeline stage destroyed before its end'),
  writeError: reason('write-error', 'the file (or stdout) refused a write: a full disk, a closed pipe'),
  startFailed: reason('start-failed', 'written to a handler that could not start'),
  workerFailed: reason('worker-failed', "written to pino's worker after it failed, or held by it then"),
  filtered: reason('filtered', 'filter_func returned false'),
  queueFull: reason('queue-full', "queue_size records already waited for the worker's buffer to drain"),
})

export const DROP_REASON_FAMILIES: readonly DropReasonFamily[] = Object.freeze([
  Object.freeze({
    pattern: 'http-<status>',
    meaning: 'the endpoint answered a status that is not retried (http-413 splits)',
  }),
  Object.freeze({ pattern: 'es-<status>', meaning: "an Elasticsearch bulk item's status that is not retried" }),
  Object.freeze({
    pattern: 'smtp-<code>',
    meaning: 'the SMTP reply code of a mail not sent (4xx after the last retry)',
  }),
  Object.freeze({ pattern: '<code>', meaning: "nodemailer's error code in lower case (eauth, eenvelope...)" }),
])
