import t from 'tap'
import { LineSplitter } from '../src/line-splitter.ts'
import { ByteSpans, spanLevel, TextLines } from '../src/line-store.ts'

function split(chunks: (string | Buffer)[]) {
  const splitter = new LineSplitter()
  const lines: string[] = []
  for (const c of chunks) {
    splitter.feed(Buffer.isBuffer(c) ? c : Buffer.from(c), (chunk, start, end) =>
      lines.push(chunk.toString('utf8', start, end)),
    )
  }
  return { lines, rest: splitter.end()?.toString() }
}

const level = (text: string) => spanLevel(Buffer.from(text), 0, Buffer.byteLength(text))

t.test('lines keep their newline; a line cut across chunks is joined', async (t) => {
  t.same(split(['{"a":1}\n{"b":', '2}\n', '{"c":3}\n']), {
    lines: ['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'],
    rest: undefined,
  })
  t.same(split(['no newline yet', ' still none', '\nx']), { lines: ['no newline yet still none\n'], rest: 'x' })
  t.same(split(['\n\n']), { lines: ['\n', '\n'], rest: undefined }, 'empty lines are passed on as they are')
  t.same(split(['{"a":', '1', '}']), { lines: [], rest: '{"a":1}' }, 'an unterminated last line in pieces, joined')
})

t.test('bytes pass through unchanged, a multi-byte character cut between chunks included', async (t) => {
  const line = Buffer.from('{"msg":"é€😀"}\n')
  const cut = 10 // inside the multi-byte characters
  const splitter = new LineSplitter()
  const out: Buffer[] = []
  const onLine = (chunk: Buffer, start: number, end: number) => out.push(chunk.subarray(start, end))
  splitter.feed(line.subarray(0, cut), onLine)
  splitter.feed(line.subarray(cut), onLine)
  t.same(Buffer.concat(out), line)
  t.equal(splitter.end(), undefined)
})

t.test('spanLevel reads the level without decoding the line', async (t) => {
  t.equal(level('{"level":50,"msg":"x"}\n'), 50, "pino's usual start")
  t.equal(level('{"level":"warn","msg":"x"}\n'), 40, 'a label')
  t.equal(level('{"level": 30}\n'), 30, 'a space before the value')
  t.equal(level(`{"msg":"${'é'.repeat(50)}","level":30}\n`), 30, 'not only near the start')
  t.equal(level('{"level":30'), 30, 'a line that ends right after the value')
  t.equal(level('plain text\n'), undefined)
  t.equal(level('{"level":}\n'), undefined)
  t.equal(level('{"level":'), undefined, 'shorter than a level')
  const chunk = Buffer.from('{"level":30}\nno level here\n{"level":50}\n{"level":4')
  t.equal(spanLevel(chunk, 13, 27), undefined, "the next line's level is not this line's")
  t.equal(spanLevel(chunk, 27, 40), 50, 'a line in the middle of a chunk')
  t.equal(spanLevel(chunk, 40, 50), 4, 'digits stop at the end of the line')
})

t.test('TextLines joins released lines byte for byte, and counts UTF-8 bytes when asked', async (t) => {
  const lines = new TextLines(true)
  lines.push('a\n')
  t.equal(lines.drain(), 'a\n', 'one line: as it came')
  lines.push('é\n')
  lines.push('b\n')
  t.equal(lines.bytes, 5)
  t.equal(lines.drain(), 'é\nb\n')
  t.equal(lines.size, 0)
  t.equal(lines.bytes, 0)
  const uncounted = new TextLines(false)
  uncounted.push('a\n')
  t.equal(uncounted.bytes, 0, 'no Buffer.byteLength per line without maxBytes')
})

t.test('ByteSpans: neighbours in memory are one view, others are copied once', async (t) => {
  const chunk = Buffer.from('a\nb\nc\n')
  const other = Buffer.from('x\n')
  const spans = new ByteSpans()
  spans.push(chunk, 0, 2)
  spans.push(chunk, 2, 4)
  spans.push(chunk, 4, 6)
  t.equal(spans.bytes, 6)
  const joined = spans.drain()
  t.equal(joined.toString(), 'a\nb\nc\n')
  t.equal(joined.buffer, chunk.buffer, 'no copy for consecutive lines of one chunk')
  t.equal(spans.size, 0)
  t.equal(spans.bytes, 0)
  for (const [c, s, e] of [
    [chunk, 0, 2],
    [chunk, 2, 4],
    [other, 0, 2],
    [chunk, 4, 6],
  ] as const)
    spans.push(c, s, e)
  t.equal(spans.drain().toString(), 'a\nb\nx\nc\n')
  spans.push(chunk, 4, 6)
  spans.push(chunk, 0, 2)
  t.equal(spans.drain().toString(), 'c\na\n', 'not adjacent in that order: copied')
})

t.test('ring eviction: the oldest goes, order and byte counts hold through compactions', async (t) => {
  const chunk = Buffer.from('0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n')
  const spans = new ByteSpans()
  const lines = new TextLines(true)
  for (let n = 0; n < 10; n++) {
    spans.push(chunk, 2 * n, 2 * n + 2)
    lines.push(`${n}\n`)
    if (n >= 3) {
      spans.dropOldest()
      lines.dropOldest()
    }
  }
  t.equal(spans.size, 3)
  t.equal(spans.bytes, 6)
  t.equal(lines.bytes, 6)
  t.equal(spans.drain().toString(), '7\n8\n9\n')
  t.equal(lines.drain(), '7\n8\n9\n')
})
