#!/usr/bin/env node
// The pino-memory-buffer command: `node app.js | pino-memory-buffer --capacity 100`.
import { runCli } from './cli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
})
