/**
 * GET's query string for one record, as Python's HTTPHandler sends a record's fields
 * (`urlencode(record.__dict__)`): each top-level field a parameter, strings as they are,
 * other values (numbers, booleans, null, nested objects and arrays) JSON-encoded. A line that
 * is not a JSON object goes whole as `msg`. GET is the one mode that must parse a record.
 */
export function recordQuery(line: string): string {
  let record: unknown
  try {
    record = JSON.parse(line)
  } catch {
    record = undefined
  }
  const params = new URLSearchParams()
  if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
    for (const [key, value] of Object.entries(record)) {
      params.append(key, typeof value === 'string' ? value : JSON.stringify(value))
    }
  } else {
    params.append('msg', line)
  }
  return params.toString()
}

/** `path` with `query` appended (after `?`, or `&` when the path already has a query). */
export function withQuery(path: string, query: string): string {
  if (query === '') return path
  return `${path}${path.includes('?') ? '&' : '?'}${query}`
}
