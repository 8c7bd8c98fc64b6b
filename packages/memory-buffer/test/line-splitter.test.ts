import t from 'tap'
import { BYTE_LINES, bytesLevel, joinBytes, TEXT_LINES } from '../src/line-codec.ts'
import { LineSplitter } from '../src/line-splitter.ts'

function split(chunks: (string | Buffer)[]) {
  const splitter = new LineSplitter()
  const lines: string[] = []
  for (const c of chunks) splitter.feed(Buffer.isBuffer(c) ? c : Buffer.from(c), (l) => lines.push(l.toString()))
  return { lines, rest: splitter.end()?.toString() }
}

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
  splitter.feed(line.subarray(0, cut), (l) => out.push(l))
  splitter.feed(line.subarray(cut), (l) => out.push(l))
  t.same(Buffer.concat(out), line)
  t.equal(splitter.end(), undefined)
})

t.test('bytesLevel reads the level with core lineLevel without decoding the line', async (t) => {
  t.equal(bytesLevel(Buffer.from('{"level":50,"msg":"x"}\n')), 50)
  t.equal(bytesLevel(Buffer.from('{"level":"warn","msg":"x"}\n')), 40)
  t.equal(bytesLevel(Buffer.from(`{"msg":"${'é'.repeat(50)}","level":30}\n`)), 30, 'not only near the start')
  t.equal(bytesLevel(Buffer.from('{"level":30')), 30, 'a line that ends right after the value')
  t.equal(bytesLevel(Buffer.from('plain text\n')), undefined)
  t.equal(bytesLevel(Buffer.from('{"level":}\n')), undefined)
})

t.test('codecs join released lines byte for byte', async (t) => {
  t.equal(TEXT_LINES.join(['a\n']), 'a\n')
  t.equal(TEXT_LINES.join(['a\n', 'b\n']), 'a\nb\n')
  t.equal(TEXT_LINES.levelOf('{"level":20}\n'), 20)
  const one = Buffer.from('a\n')
  t.equal(BYTE_LINES.join([one]), one, 'one line: no copy')
  t.same(BYTE_LINES.join([one, Buffer.from('b\n')]), Buffer.from('a\nb\n'))
  t.equal(BYTE_LINES.levelOf(Buffer.from('{"level":60}\n')), 60)
})

t.test('joinBytes: neighbours in memory are one view, others are copied once', async (t) => {
  const chunk = Buffer.from('a\nb\nc\n')
  const [a, b, c] = [chunk.subarray(0, 2), chunk.subarray(2, 4), chunk.subarray(4, 6)]
  const joined = joinBytes([a, b, c])
  t.equal(joined.toString(), 'a\nb\nc\n')
  t.equal(joined.buffer, chunk.buffer, 'no copy for consecutive lines of one chunk')
  const other = Buffer.from('x\n')
  const mixed = joinBytes([a, b, other, c])
  t.equal(mixed.toString(), 'a\nb\nx\nc\n')
  t.equal(joinBytes([c, a]).toString(), 'c\na\n', 'not adjacent in that order: copied')
})
