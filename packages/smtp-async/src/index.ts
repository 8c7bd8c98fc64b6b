// The documented API: the transport (default, and createSmtpAsync with its test seams), the
// exit hand-off (deliverUnsent), the command, the options and their table, the drop reasons.
// Storm control, the digest, the mailer and the mail format stay private.
export { Reasons } from './alerts.js'
export { type CliIo, parseCliArgs, runCli, USAGE } from './cli.js'
export {
  DEFAULTS,
  IMPLICIT_TLS_PORT,
  OPTION_NAMES,
  OPTIONS,
  type ResolvedSmtpOptions,
  resolveOptions,
  type SmtpAsyncOptions,
} from './options.js'
export {
  createSmtpAsync,
  default,
  deliverUnsent,
  type SmtpAsyncDeps,
  SmtpAsyncStream,
  type SmtpUnsent,
} from './transport.js'
