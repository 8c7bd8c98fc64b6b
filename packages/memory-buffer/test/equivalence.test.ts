// The worker stage holds byte spans of its input chunks and reads levels in place; the main
// thread holds strings and reads levels with core's lineLevel. Both must release the same
// records at the same moments, byte for byte, and count the same: random lines (multi-byte
// text, labels, lines with no level), cut into random chunks, through both, in every mode.
import { DeliveryCounters, lineLevel } from '@pino-advanced/core'
import t from 'tap'
import { random } from '../../../test/helpers/random.ts'
import { LineSplitter } from '../src/line-splitter.ts'
import { ByteSpans, spanLevel, TextLines } from '../src/line-store.ts'
import { MemoryBuffer, type Release } from '../src/memory-buffer.ts'
import type { BufferMode } from '../src/options.ts'

const SEED = Number(process.env.PA_BUFFER_SEED ?? 20261202)
// Whole characters (code points): 1 to 4 UTF-8 bytes each.
const TEXT = Array.from('é€😀x')

function randomLine(rnd: () => number, n: number): string {
  const r = rnd()
  if (r < 0.05) return `plain text ${n} with no level\n`
  if (r < 0.1) return `{"level":"${['debug', 'info', 'warn', 'error'][Math.floor(rnd() * 4)]}","n":${n}}\n`
  if (r < 0.15) return `{"msg":"level later","n":${n},"level":${10 * (1 + Math.floor(rnd() * 6))}}\n`
  if (r < 0.2) return `{"level": 40,"n":${n}}\n`
  const level = 10 * (1 + Math.floor(rnd() * 6))
  return `{"level":${level},"time":1,"n":${n},"msg":"${TEXT.slice(0, Math.floor(rnd() * 5)).join('')}${'y'.repeat(Math.floor(rnd() * 40))}"}\n`
}

/** Cuts `text`'s bytes into chunks of random sizes (1 to 300 bytes: lines and characters get cut). */
function chunks(rnd: () => number, text: string): Buffer[] {
  const bytes = Buffer.from(text)
  const out: Buffer[] = []
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(rnd() * 300)
    out.push(Buffer.from(bytes.subarray(at, at + size)))
    at += size
  }
  return out
}

interface Run {
  readonly releases: string[]
  readonly stats: ReturnType<DeliveryCounters['snapshot']>
  readonly held: number
}

function rules(mode: BufferMode, maxBytes: number | undefined) {
  return { capacity: 7, flushLevel: 50, maxBytes, mode }
}

function asText(release: Release<string> | Release<Buffer> | undefined, into: string[]): void {
  if (release !== undefined) into.push(release.chunk.toString())
}

function mainThread(lines: string[], mode: BufferMode, maxBytes: number | undefined): Run {
  const counters = new DeliveryCounters('memory-buffer')
  const store = new TextLines(maxBytes !== undefined)
  const buffer = new MemoryBuffer(rules(mode, maxBytes), counters, store)
  const releases: string[] = []
  for (const line of lines) {
    store.push(line)
    asText(buffer.added(lineLevel(line)), releases)
  }
  return { releases, stats: counters.snapshot(), held: buffer.size }
}

function worker(input: Buffer[], mode: BufferMode, maxBytes: number | undefined): Run {
  const counters = new DeliveryCounters('memory-buffer')
  const store = new ByteSpans()
  const buffer = new MemoryBuffer(rules(mode, maxBytes), counters, store)
  const releases: string[] = []
  const splitter = new LineSplitter()
  for (const chunk of input) {
    splitter.feed(chunk, (c, start, end) => {
      store.push(c, start, end)
      asText(buffer.added(spanLevel(c, start, end)), releases)
    })
  }
  return { releases, stats: counters.snapshot(), held: buffer.size }
}

for (const mode of ['batch', 'ring'] as const) {
  for (const maxBytes of [undefined, 300]) {
    t.test(`${mode} mode, maxBytes ${maxBytes ?? 'unset'}: the worker stage and the main thread agree`, async (t) => {
      const rnd = random(SEED + (mode === 'ring' ? 1 : 0) + (maxBytes ?? 0))
      const lines = Array.from({ length: 2000 }, (_, n) => randomLine(rnd, n))
      const expected = mainThread(lines, mode, maxBytes)
      const got = worker(chunks(rnd, lines.join('')), mode, maxBytes)
      t.ok(expected.releases.length > 10, `${expected.releases.length} releases`)
      t.same(got.releases, expected.releases, 'the same releases, byte for byte')
      t.same(got.stats, expected.stats, 'the same counts')
      t.equal(got.held, expected.held, 'the same records still held')
    })
  }
}
