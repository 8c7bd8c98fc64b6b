import t from 'tap'
import { RawLineSplitter } from '../src/raw-line-splitter.ts'

function split(chunks: string[]) {
  const splitter = new RawLineSplitter()
  const lines: string[] = []
  for (const c of chunks)
    splitter.feed(Buffer.from(c), (chunk, start, end) => lines.push(chunk.toString('utf8', start, end)))
  return { lines, rest: splitter.end()?.toString() }
}

t.test('lines keep their newline and empty lines; a line cut across chunks is joined once', async (t) => {
  t.same(
    [
      split(['{"a":1}\n{"b":', '2}\n', '{"c":3}\n']),
      split(['no newline yet', ' still none', '\nx']),
      split(['\n\n']),
      split(['{"a":', '1', '}']),
      split(['one piece']),
    ],
    [
      { lines: ['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'], rest: undefined },
      { lines: ['no newline yet still none\n'], rest: 'x' },
      { lines: ['\n', '\n'], rest: undefined },
      { lines: [], rest: '{"a":1}' },
      { lines: [], rest: 'one piece' },
    ],
  )
})
