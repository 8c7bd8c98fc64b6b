export {
  type Batch,
  BatchQueue,
  type BatchQueueOptions,
  type ItemHolder,
  OVERFLOW_POLICIES,
  type OverflowPolicy,
  QueueDropReasons,
  type QueueItem,
} from './batch-queue.js'
export {
  type CliIo,
  type FlagRules,
  flagError,
  networkFlag,
  packageVersion,
  parseFlags,
  runTransportCli,
  type TransportCli,
} from './cli.js'
export { after, type Clock, SYSTEM_CLOCK } from './clock.js'
export { onCloseSignal, type SignalTarget, signalClose } from './close-signal.js'
export {
  closeTimeoutOption,
  credentialsOption,
  retryDelayOptions,
  statsNameOption,
  tlsOptions,
} from './common-options.js'
export { once, type Settled, settleWithin } from './deadline.js'
export { describeValue } from './describe.js'
export { createDiagnostics, type Diagnostics, type DiagnosticsOptions, redact, writeStderr } from './diagnostics.js'
export { DROP_REASON_FAMILIES, DROP_REASONS, type DropReason, type DropReasonFamily } from './drop-reasons.js'
export { ConfigError, type ErrorCode, ErrorCodes, PinoAdvancedError, SpoolInUseError } from './errors.js'
export {
  FLUSHED_EVENT,
  type FlushArgument,
  type FlushOptions,
  type FlushOutcome,
  type FlushReply,
  type FlushRequest,
  FlushRequests,
  flushArgument,
  flushMarker,
  publishFlushed,
  readFlushMarker,
} from './flush.js'
export { type FlushTimers, FlushWaiters } from './flush-waiters.js'
export {
  type CustomLevels,
  LEVEL_HELP,
  LEVELS,
  type LevelName,
  levelLabel,
  levelName,
  parseLevel,
  pythonLevelName,
} from './levels.js'
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  MAX_CLOSE_MS,
  MAX_TIMER_MS,
  PINO_EXIT_BUDGET_MS,
  SHUTDOWN_DEADLINE_MS,
} from './limits.js'
export { LineSplitter, type OnLine } from './line-splitter.js'
export { cliRules, usageLines } from './option-cli.js'
export {
  booleanOption,
  type CliFlag,
  customOption,
  enumOption,
  levelOption,
  numberOption,
  type OptionKind,
  type OptionSpec,
  type OptionsOf,
  type OptionTable,
  optionNames,
  type ReadContext,
  type ReadOf,
  type Relation,
  readOptionEntries,
  readOptionTable,
  stringOption,
} from './option-table.js'
export {
  type NumberRule,
  optionPath,
  type RawOptions,
  readBoolean,
  readCredentials,
  readEnum,
  readLevel,
  readNumber,
  readObject,
  readString,
  readStringList,
  readStringRecord,
  rejectUnknownKeys,
  requireString,
} from './options.js'
export { PYTHON_RECORD_FIELDS, PYTHON_UNKNOWN_FIELDS, recordTimeMs } from './python-record.js'
export { type OnSpan, RawLineSplitter } from './raw-line-splitter.js'
export { lineLevel } from './record-level.js'
export {
  type AttemptOutcome,
  type BackoffPolicy,
  backoffDelayMs,
  decideRetry,
  parseRetryAfterMs,
  type RetryDecision,
  type RetryRules,
  retryDelayMs,
} from './retry.js'
export { startTransport } from './start-error.js'
export {
  closedSummary,
  DeliveryCounters,
  type DeliveryStats,
  publishStats,
  STATS_EVENT,
  type StatsEmitter,
  StatsReporter,
} from './stats.js'
export { readTlsOptions, TLS_OPTION_NAMES, type TlsInput, type TlsOptions, tlsSecrets } from './tls-options.js'
export { PINO_INJECTED_KEYS, pinoLevels, withoutPinoKeys } from './transport-options.js'
export { itemLines, type Unsent, type UnsentSource } from './unsent.js'
