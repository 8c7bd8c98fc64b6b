import {
  ConfigError,
  describeValue,
  optionPath,
  type RawOptions,
  readBoolean,
  readString,
  requireString,
} from '@pino-advanced/core'

/** Where requests go: undici's client takes the origin, each request the path. */
export interface Endpoint {
  readonly origin: string
  readonly path: string
}

const URL_HELP = "an absolute http(s) URL ('https://logs.example.com/ingest'), or a path ('/log') together with host"

/**
 * A URL as an error message may show it: a query or a fragment may carry a token, userinfo a
 * password, so neither is echoed.
 */
function shown(url: string): string {
  return describeValue(url.replace(/[?#][\s\S]*$/, '?...').replace(/^([^/?#]*\/\/)[^/?#]*@/, '$1...@'))
}

function userinfoRefused(option: string): ConfigError {
  return ConfigError.invalid(
    option,
    'a URL with user:password@ is not accepted (it would leak into logs); use credentials',
  )
}

/**
 * The two documented address forms: an absolute `url`, or Python's HTTPHandler form, `host`
 * (`'localhost:8000'`) + `url` (`'/log'`) + `secure` (https when true).
 */
export function resolveEndpoint(prefix: string, options: RawOptions): Endpoint {
  const urlOption = optionPath(prefix, 'url')
  const url = requireString(prefix, options, 'url', URL_HELP)
  const host = readString(prefix, options, 'host', undefined)
  const secure = options.secure === undefined ? undefined : readBoolean(prefix, options, 'secure', false)
  // Credentials in a URL would be printed wherever the URL is: never echo it, point to credentials.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)) throw userinfoRefused(urlOption)
  if (host !== undefined) {
    const hostOption = optionPath(prefix, 'host')
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/.test(host)) {
      throw ConfigError.received(hostOption, host, `'hostname' or 'hostname:port' (no scheme, no path)`)
    }
    if (!url.startsWith('/')) {
      throw ConfigError.invalid(
        urlOption,
        `received ${shown(url)}; with host, expected a path starting with '/' ('/log')`,
      )
    }
    const parsed = new URL(`${secure === true ? 'https' : 'http'}://${host}${url}`)
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
  }
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw ConfigError.invalid(urlOption, `received ${shown(url)}; expected ${URL_HELP}`)
  }
  // WHATWG parsing finds userinfo the pattern above does not see (`http:\\user:pw@host`): it
  // would be dropped silently by the request; refused the same way.
  if (parsed.username !== '' || parsed.password !== '') throw userinfoRefused(urlOption)
  if (secure !== undefined && secure !== (parsed.protocol === 'https:')) {
    throw ConfigError.invalid(
      optionPath(prefix, 'secure'),
      `received ${secure}, but url's scheme is ${parsed.protocol.slice(0, -1)}; secure only applies with host`,
    )
  }
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
}
