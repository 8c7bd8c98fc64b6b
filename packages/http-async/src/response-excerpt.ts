/** Bytes of a refusing answer's body kept for the diagnostic: the endpoint's reason, not a page. */
export const EXCERPT_BYTES = 512
/** Characters of it shown. */
const EXCERPT_CHARS = 300
// Whitespace and control characters: a diagnostic is one line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const BLANKS = /[\s\u0000-\u001f\u007f]+/g

/**
 * Collects the start of an answer's body, at most EXCERPT_BYTES in all, so that a refused
 * batch's diagnostic can say what the endpoint said ("Unknown table", "mapper_parsing_exception")
 * and not only its status. The rest of the body is let go as it arrives.
 */
export class ResponseExcerpt {
  readonly #chunks: Buffer[] = []
  #bytes = 0

  add(chunk: Buffer): void {
    const room = EXCERPT_BYTES - this.#bytes
    if (room <= 0) return
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk
    // Copied: the client may reuse the buffer it read into.
    this.#chunks.push(Buffer.from(part))
    this.#bytes += part.length
  }

  /**
   * One line: whitespace and control characters collapsed, cut to EXCERPT_CHARS with an
   * ellipsis; '' when the body was empty. Secrets are taken out where every diagnostic is
   * written (core's redact).
   */
  text(): string {
    if (this.#bytes === 0) return ''
    // A cut through a UTF-8 sequence decodes as U+FFFD: harmless in a diagnostic.
    const line = Buffer.concat(this.#chunks).toString('utf8').replace(BLANKS, ' ').trim()
    return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line
  }
}
