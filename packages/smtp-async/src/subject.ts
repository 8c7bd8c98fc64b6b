/** Characters that must never reach a mail header: CR, LF and the other controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g

/** Longest subject we build; mail clients cut long ones anyway. */
const MAX_SUBJECT = 200

export interface SubjectFields {
  readonly level: string
  readonly msg: string
  readonly name: string
  readonly hostname: string
  readonly count: number
}

/** A value made safe for a header: controls become spaces, whitespace runs fold. */
export function headerSafe(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim()
}

/**
 * Fills `{level}`, `{msg}`, `{name}`, `{hostname}` and `{count}`. Whatever a record holds,
 * the result has no CR or LF, so it can never add a header.
 */
export function renderSubject(template: string, fields: SubjectFields): string {
  let subject = template.replace(/\{(level|msg|name|hostname|count)\}/g, (_m, key: keyof SubjectFields) =>
    headerSafe(String(fields[key])),
  )
  // A digest says so even when the template has no {count}.
  if (fields.count > 1 && !template.includes('{count}')) subject += ` (+${fields.count - 1} more)`
  subject = headerSafe(subject)
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 3)}...` : subject
}
