import t from 'tap'
import { classifyMailError } from '../src/outcome.ts'

const cases: [string, unknown, boolean, string][] = [
  ['421 service not available: retried', { responseCode: 421, message: '421 try later' }, true, 'smtp-421'],
  ['451 local error: retried', { responseCode: 451, message: 'x' }, true, 'smtp-451'],
  ['450 mailbox busy: retried', { responseCode: 450, message: 'x' }, true, 'smtp-450'],
  ['550 no such user: final', { responseCode: 550, message: 'x' }, false, 'smtp-550'],
  ['535 bad credentials: final', { code: 'EAUTH', responseCode: 535, message: 'x' }, false, 'smtp-535'],
  ['554 rejected: final', { responseCode: 554, message: 'x' }, false, 'smtp-554'],
  ['connection refused: retried', { code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, true, 'connection'],
  ['timeout: retried', { code: 'ETIMEDOUT', message: 'Greeting never received' }, true, 'connection'],
  ['socket error: retried', { code: 'ESOCKET', message: 'read ECONNRESET' }, true, 'connection'],
  ['DNS failure: retried', { code: 'EDNS', message: 'getaddrinfo' }, true, 'connection'],
  ['TLS failure: final', { code: 'ETLS', message: 'handshake' }, false, 'tls'],
  ['untrusted certificate: final', { code: 'ESOCKET', message: 'self-signed certificate' }, false, 'tls'],
  ['auth without a reply code: final', { code: 'EAUTH', message: 'x' }, false, 'eauth'],
  ['anything else: final', new Error('weird'), false, 'error'],
  ['not even an error: final', 'string thrown', false, 'error'],
  ['null thrown: final', null, false, 'error'],
]

for (const [name, err, retryable, reason] of cases) {
  t.test(name, async (t) => {
    t.match(classifyMailError(err), { ok: false, retryable, reason })
  })
}
