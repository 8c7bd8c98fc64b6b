/**
 * Test certificates made with the `openssl` CLI in a fresh temp dir (nothing is checked in).
 *
 *   const certs = makeTestCerts()
 *   startSmtpSink({ starttls: true, key: certs.serverKey, cert: certs.serverCert })
 *   // client side: { ca: certs.caCert } verifies it; without `ca` it is rejected
 *   startSmtpSink({ secure: true, key: certs.selfSignedKey, cert: certs.selfSignedCert })
 *
 * - a test CA (`caCert`, `caKey`);
 * - a server certificate for `localhost` and `127.0.0.1` (subjectAltName DNS and IP: Node
 *   checks the SAN, not the CN), signed by that CA (`serverCert`, `serverKey`);
 * - a self-signed certificate for the same names (`selfSignedCert`, `selfSignedKey`), which
 *   no client trusts unless told to.
 * All PEM strings. Made once per process (openssl takes a moment) and cached.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestCerts {
  readonly caCert: string
  readonly caKey: string
  readonly serverCert: string
  readonly serverKey: string
  readonly selfSignedCert: string
  readonly selfSignedKey: string
}

let cached: TestCerts | undefined

export function makeTestCerts(): TestCerts {
  cached ??= generate()
  return cached
}

function generate(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'pa-certs-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  try {
    const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1'
    writeFileSync(
      path('server.ext'),
      `${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
    )
    // The CA.
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.crt'),
      '-subj',
      '/CN=pino-advanced test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    )
    // The server certificate, signed by the CA.
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
      '-subj',
      '/CN=localhost',
    )
    openssl(
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      path('server.crt'),
      '-extfile',
      path('server.ext'),
    )
    // A self-signed certificate for the same names.
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      path('self.key'),
      '-out',
      path('self.crt'),
      '-subj',
      '/CN=localhost',
      '-addext',
      san,
    )
    const read = (name: string) => readFileSync(path(name), 'utf8')
    return {
      caCert: read('ca.crt'),
      caKey: read('ca.key'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      selfSignedCert: read('self.crt'),
      selfSignedKey: read('self.key'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
