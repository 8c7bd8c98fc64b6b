import t from 'tap'
import { EXCERPT_BYTES, ResponseExcerpt } from '../src/response-excerpt.ts'

function excerptOf(...chunks: string[]): string {
  const excerpt = new ResponseExcerpt()
  for (const chunk of chunks) excerpt.add(Buffer.from(chunk))
  return excerpt.text()
}

t.test('an empty body says nothing', async (t) => {
  t.equal(new ResponseExcerpt().text(), '')
  t.equal(excerptOf('', '  \n '), '')
})

t.test('one line: whitespace and control characters collapse to one space, ends trimmed', async (t) => {
  t.equal(
    excerptOf('{"error":\n  {"type": "mapper_parsing_exception",', '\r\n\t"reason":\u0000"bad"}}\n'),
    '{"error": {"type": "mapper_parsing_exception", "reason": "bad"}}',
  )
})

t.test('a long body is cut: 300 characters and an ellipsis', async (t) => {
  const text = excerptOf('x'.repeat(1000))
  t.equal(text, `${'x'.repeat(300)}…`)
})

t.test(`at most ${EXCERPT_BYTES} bytes are kept, however the body arrives`, async (t) => {
  // Spaces collapse away, so what shows is exactly what was kept past them.
  t.equal(excerptOf(' '.repeat(EXCERPT_BYTES - 2), 'late'), 'la', 'cut within a chunk')
  t.equal(excerptOf(' '.repeat(EXCERPT_BYTES), 'late', 'later'), '', 'chunks past the bound are not kept')
})

t.test('the client may reuse the buffer it read into: the excerpt keeps its own copy', async (t) => {
  const excerpt = new ResponseExcerpt()
  const buffer = Buffer.from('Unknown table')
  excerpt.add(buffer)
  buffer.fill(0x21)
  t.equal(excerpt.text(), 'Unknown table')
})
