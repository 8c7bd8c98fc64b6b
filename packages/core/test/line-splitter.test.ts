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
