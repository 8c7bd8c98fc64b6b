// format 'otlp': its sub-options and the OpenTelemetry environment variables (injected).
import { ConfigError, ErrorCodes } from '@pino-advanced/core'
import t, { type Test } from 'tap'
import type { Environment } from '../src/format/otlp/env.ts'
import { resolveOptions } from '../src/options.ts'

const url = 'http://collector:4318/v1/logs'
const otlp = (extra: Record<string, unknown> = {}) => ({ format: 'otlp', url, ...extra })

/** The ConfigError resolving `raw` throws (undefined when none). */
function errorOf(raw: Record<string, unknown>, env: Environment = {}, prefix = ''): ConfigError | undefined {
  try {
    resolveOptions(raw, prefix, env)
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
  return undefined
}

/** Asserts a ConfigError naming `option` whose message matches and never shows `secret`. */
function rejects(
  t: Test,
  raw: Record<string, unknown>,
  env: Environment,
  option: string,
  message: RegExp,
  secret?: string,
) {
  const error = errorOf(raw, env)
  const ok =
    error !== undefined &&
    error.option === option &&
    error.message.startsWith(`${option}:`) &&
    message.test(error.message) &&
    (secret === undefined || !error.message.includes(secret))
  t.ok(ok, `${option}: ${error?.message}`)
}

t.test('defaults: http/protobuf, no resource, nothing from an empty environment', async (t) => {
  const o = resolveOptions(otlp(), '', {})
  t.same(o.otlp, { protocol: 'http/protobuf', resource: {} })
  t.ok(Object.isFrozen(o.otlp) && Object.isFrozen(o.otlp?.resource))
  t.same(
    [o.origin, o.path, o.format, o.compression, o.headers],
    ['http://collector:4318', '/v1/logs', 'otlp', 'none', {}],
  )
  t.equal(resolveOptions({ url }, '', { OTEL_EXPORTER_OTLP_HEADERS: 'a=b' }).otlp, undefined, 'another format: no otlp')
  t.same(resolveOptions({ url }, '', { OTEL_EXPORTER_OTLP_HEADERS: 'a=b' }).headers, {}, 'nor its environment')
  t.same(resolveOptions(otlp({ otlp: { protocol: 'http/json' } }), '', {}).otlp?.protocol, 'http/json')
  t.doesNotThrow(() => resolveOptions(otlp()), 'process.env by default')
})

t.test('the sub-options are checked, and only go with format otlp', async (t) => {
  rejects(t, { url, otlp: {} }, {}, 'otlp', /only applies with format 'otlp' \(format is 'json'\)/)
  rejects(t, otlp({ otlp: 'x' }), {}, 'otlp', /expected an options object/)
  rejects(t, otlp({ otlp: { protokol: 'x' } }), {}, 'otlp.protokol', /did you mean otlp.protocol/)
  rejects(t, otlp({ otlp: { protocol: 'grpc' } }), {}, 'otlp.protocol', /'http\/protobuf', 'http\/json'/)
  rejects(t, otlp({ otlp: { resource: { a: null } } }), {}, 'otlp.resource.a', /a string, a number or a boolean/)
  rejects(t, otlp({ otlp: { resource: { a: Number.NaN } } }), {}, 'otlp.resource.a', /received NaN/)
  rejects(t, otlp({ otlp: { resource: [] } }), {}, 'otlp.resource', /an options object/)
  const nested = errorOf({ url, otlp: {} }, {}, 'http_handler')
  t.equal(nested?.option, 'http_handler.otlp', 'named under the prefix')
})

t.test('the endpoint: url, else the environment, else an error naming both variables', async (t) => {
  const endpoint = (env: Environment, extra: Record<string, unknown> = {}) => {
    const o = resolveOptions({ format: 'otlp', ...extra }, '', env)
    return `${o.origin}${o.path}`
  }
  t.same(
    [
      endpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.example:4318/custom?x=1' }),
      endpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://a:1/l', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:2' }),
      endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318' }),
      endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318/base/' }),
      endpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318/base' }),
      endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:4318' }, { url: 'http://mine:1/logs' }),
    ],
    [
      'https://otel.example:4318/custom?x=1',
      'http://a:1/l',
      'http://b:4318/v1/logs',
      'http://b:4318/base/v1/logs',
      'http://b:4318/base/v1/logs',
      'http://mine:1/logs',
    ],
  )
  const missing = errorOf({ format: 'otlp' })
  t.equal(missing?.code, ErrorCodes.MISSING_OPTION)
  t.match(missing?.message, /^url: required; .*OTEL_EXPORTER_OTLP_LOGS_ENDPOINT .* or OTEL_EXPORTER_OTLP_ENDPOINT /)
  t.equal(errorOf({ format: 'otlp' }, {}, 'http_handler')?.option, 'http_handler.url')
  t.match(
    errorOf({ format: 'json' }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:1' })?.message,
    /^url: required; expected an absolute/,
  )
  t.equal(
    errorOf({ format: 'otlp', host: 'h:1' }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:1' })?.option,
    'url',
    'host without url: the usual error',
  )
  rejects(
    t,
    { format: 'otlp' },
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://b' },
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    /http\(s\) URL \('http:\/\/collector:4318'\)/,
  )
  rejects(
    t,
    { format: 'otlp' },
    { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'nope' },
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    /'http:\/\/collector:4318\/v1\/logs'/,
  )
  rejects(
    t,
    { format: 'otlp' },
    { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://u:s3cret@b/v1/logs' },
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    /user:password@ is not accepted/,
    's3cret',
  )
})

t.test('protocol and compression from the environment; explicit options win', async (t) => {
  const read = (env: Environment, extra: Record<string, unknown> = {}) => {
    const o = resolveOptions(otlp(extra), '', env)
    return [o.otlp?.protocol, o.compression]
  }
  t.same(
    [
      read({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }),
      read({ OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'HTTP/JSON', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
      read({ OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }),
      read(
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' },
        { otlp: { protocol: 'http/json' }, compression: 'gzip' },
      ),
    ],
    [
      ['http/json', 'gzip'],
      ['http/json', 'none'],
      ['http/protobuf', 'none'],
      ['http/json', 'gzip'],
    ],
  )
  rejects(
    t,
    otlp(),
    { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    /received "grpc"; .*grpc is not supported/,
  )
  rejects(
    t,
    otlp(),
    { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'json' },
    'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
    /'http\/protobuf', 'http\/json'/,
  )
  rejects(t, otlp(), { OTEL_EXPORTER_OTLP_COMPRESSION: 'br' }, 'OTEL_EXPORTER_OTLP_COMPRESSION', /'gzip', 'none'/)
})

t.test('headers from the environment, under the user own; values never shown', async (t) => {
  const headers = (env: Environment, extra: Record<string, unknown> = {}) =>
    resolveOptions(otlp(extra), '', env).headers
  t.same(
    headers({
      OTEL_EXPORTER_OTLP_HEADERS: ' api-key = k%3D1 , X-Both=generic,,',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-both=logs,Authorization=Bearer%20abc',
    }),
    { 'api-key': 'k=1', 'x-both': 'logs', authorization: 'Bearer abc' },
  )
  t.same(
    headers({ OTEL_EXPORTER_OTLP_HEADERS: 'x-a=env,authorization=Bearer%20env' }, { headers: { 'X-A': 'mine' } }),
    { authorization: 'Bearer env', 'x-a': 'mine' },
    "the user's headers win",
  )
  t.same(
    headers({ OTEL_EXPORTER_OTLP_HEADERS: 'x-a=env,authorization=Bearer%20env' }, { credentials: ['u', 'p'] }),
    { 'x-a': 'env' },
    "credentials win over the environment's Authorization",
  )
  const variable = 'OTEL_EXPORTER_OTLP_HEADERS'
  rejects(t, otlp(), { [variable]: 'a=1,novalue' }, variable, /entry 2 is not key=value/)
  rejects(t, otlp(), { [variable]: '=v' }, variable, /entry 1 is not key=value/)
  rejects(
    t,
    otlp(),
    { [variable]: 'x-token=s3cret%zz' },
    variable,
    /the value of x-token is not valid percent-encoding$/,
    's3cret',
  )
  rejects(
    t,
    otlp(),
    { [variable]: 'bad name=s3cret' },
    variable,
    /"bad name" is not a valid HTTP header name/,
    's3cret',
  )
  rejects(t, otlp(), { [variable]: 'x-t=s3cret%0D%0Ax: y' }, variable, /cannot hold CR, LF or NUL/, 's3cret')
  rejects(
    t,
    otlp(),
    { OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'Content-Type=text/plain' },
    'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
    /Content-Type is set by the transport/,
  )
})

t.test('resource: otlp.resource over OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES', async (t) => {
  const resource = (env: Environment, extra: Record<string, unknown> = {}) =>
    resolveOptions(otlp(extra), '', env).otlp?.resource
  const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=attrs,team=a%2Fb,region=eu', OTEL_SERVICE_NAME: 'svc' }
  t.same(
    [
      resource({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=attrs' }),
      resource(env),
      resource(env, { otlp: { resource: { 'service.name': 'mine', region: 'us', shard: 3 } } }),
    ],
    [
      { 'service.name': 'attrs' },
      { 'service.name': 'svc', team: 'a/b', region: 'eu' },
      { 'service.name': 'mine', team: 'a/b', region: 'us', shard: 3 },
    ],
  )
  rejects(
    t,
    otlp(),
    { OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' },
    'OTEL_RESOURCE_ATTRIBUTES',
    /the value of a is not valid percent-encoding \("%E0%A4%A"\)/,
  )
})
