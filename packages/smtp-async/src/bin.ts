#!/usr/bin/env node
// The pino-smtp-async command: `node app.js | pino-smtp-async --mailhost smtp.example.com ...`.
import { runCli } from './cli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
})
