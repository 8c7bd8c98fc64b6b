export { type AlertDeps, AlertEngine, type OutgoingMail, Reasons } from './alerts.js'
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export { Digest, type Scheduler, StormControl, type StormRules, SYSTEM_SCHEDULER } from './digest.js'
export { formatMail, type MailContent, recordMessage } from './format.js'
export { createMailer, type Mailer } from './mailer.js'
export type { SmtpAsyncOptions } from './option-types.js'
export { DEFAULTS, IMPLICIT_TLS_PORT, OPTION_NAMES, type ResolvedSmtpOptions, resolveOptions } from './options.js'
export { classifyMailError, type SendOutcome } from './outcome.js'
export { headerSafe, renderSubject } from './subject.js'
export {
  createSmtpAsync,
  default,
  deliverUnsent,
  type SmtpAsyncDeps,
  SmtpAsyncStream,
  type SmtpUnsent,
} from './transport.js'
