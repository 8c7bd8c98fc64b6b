import t from 'tap'
import { LineSplitter } from '../src/line-splitter.ts'

t.test('line splitter: lines as byte views, across chunks, CRLF, no empty lines', async (t) => {
  const splitter = new LineSplitter()
  const lines: string[] = []
  const on = (chunk: Buffer, start: number, end: number) => lines.push(chunk.subarray(start, end).toString())
  splitter.feed(Buffer.from('{"a":1}\n{"b"'), on)
  splitter.feed(Buffer.from(':2}\r\n\n'), on)
  splitter.feed(Buffer.from('{"c":"é"}\n'), on)
  splitter.feed(Buffer.from('tail'), on)
  splitter.end(on)
  splitter.end(on)
  t.same(lines, ['{"a":1}', '{"b":2}', '{"c":"é"}', 'tail'])
})

t.test('line splitter: a line across many chunks is joined once, a CR cut from its LF still stripped', async (t) => {
  const splitter = new LineSplitter()
  const lines: string[] = []
  const on = (chunk: Buffer, start: number, end: number) => lines.push(chunk.subarray(start, end).toString())
  for (const piece of ['{"a":', '"lo', 'ng"}\r', '\n{"b":1}\n{"c"', ':2', '}']) splitter.feed(Buffer.from(piece), on)
  splitter.end(on)
  t.same(lines, ['{"a":"long"}', '{"b":1}', '{"c":2}'])
})

t.test('line splitter: a range of a larger buffer; bytes beyond it are not read', async (t) => {
  const splitter = new LineSplitter()
  const lines: string[] = []
  const on = (chunk: Buffer, start: number, end: number) => lines.push(chunk.subarray(start, end).toString())
  const slab = Buffer.from('junk{"a":1}\n{"b"\nstale\n')
  splitter.feed(slab, on, 4, 16)
  splitter.feed(Buffer.from(':2}\n'), on)
  t.same(lines, ['{"a":1}', '{"b":2}'])
})
