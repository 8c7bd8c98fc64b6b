// A URL in an error message never shows a token or a password.
import t from 'tap'
import { resolveOptions } from '../src/options.ts'

const refuse = (options: Record<string, unknown>) => {
  try {
    resolveOptions(options)
    return 'accepted'
  } catch (err) {
    return (err as Error).message
  }
}

t.test('an invalid URL is echoed without its query, fragment or userinfo', async (t) => {
  const said = [
    refuse({ url: 'ftp://logs.example.com/x?token=s3cret' }),
    refuse({ url: 'ftp://user:s3cret@logs.example.com/x' }),
    refuse({ url: 'logs.example.com/x#s3cret' }),
    refuse({ host: 'logs.example.com', url: 'log?token=s3cret' }),
  ]
  t.same(
    said.filter((m) => m.includes('s3cret')),
    [],
    'no secret echoed',
  )
  t.match(said, [
    /^url: received "ftp:\/\/logs\.example\.com\/x\?\.\.\."; expected an absolute/,
    /^url: a URL with user:password@ is not accepted/,
    /^url: received "logs\.example\.com\/x\?\.\.\."; expected/,
    /^url: received "log\?\.\.\."; with host, expected a path/,
  ])
})

t.test('userinfo the WHATWG parser finds (http:\\\\user:pw@host) is refused, not dropped silently', async (t) => {
  t.same(
    [
      refuse({ url: 'http:\\\\user:s3cret@logs.example.com/x' }),
      refuse({ url: 'https:user:s3cret@logs.example.com/x' }),
    ].map((m) => m.startsWith('url: a URL with user:password@ is not accepted') && !m.includes('s3cret')),
    [true, true],
  )
})
