#!/usr/bin/env node
// The pino-http-async command: `node app.js | pino-http-async --url https://logs.example.com/in`.
import { runCli } from './cli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
})
