import t from 'tap'
import { decodeSegment, FRAME_HEADER_BYTES, writeFrame } from '../src/spool/segment-format.ts'

/** One frame, on its own. */
function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + payload.length)
  writeFrame(frame, 0, payload, 0, payload.length)
  return frame
}

const frames = (...records: string[]) => Buffer.concat(records.map((r) => encodeFrame(Buffer.from(r))))

t.test('frames round-trip, in order; an empty segment holds nothing', async (t) => {
  const bytes = frames('{"i":1}', '{"i":"é"}', '')
  const decoded = decodeSegment(bytes)
  t.same(
    decoded.payloads.map((p) => p.toString()),
    ['{"i":1}', '{"i":"é"}', ''],
  )
  t.equal(decoded.validBytes, bytes.length)
  t.equal(decoded.damage, undefined)
  t.same(decodeSegment(Buffer.alloc(0)), { payloads: [], validBytes: 0 })
})

t.test('a write torn at any byte: every whole frame before it, and where to append', async (t) => {
  const whole = frames('{"i":1}', '{"i":2}')
  const last = encodeFrame(Buffer.from('{"i":3}'))
  for (let cut = 1; cut < last.length; cut++) {
    const decoded = decodeSegment(Buffer.concat([whole, last.subarray(0, cut)]))
    t.same(
      decoded.payloads.map((p) => p.toString()),
      ['{"i":1}', '{"i":2}'],
      `cut after ${cut} bytes`,
    )
    t.equal(decoded.validBytes, whole.length)
    t.equal(decoded.damage, 'torn')
  }
  t.ok(last.length > FRAME_HEADER_BYTES)
})

t.test('a corrupt payload stops the reading there, reported as a checksum failure', async (t) => {
  const bytes = frames('{"i":1}', '{"i":2}', '{"i":3}')
  const second = encodeFrame(Buffer.from('{"i":1}')).length + FRAME_HEADER_BYTES + 2
  bytes[second] = 0x58
  const decoded = decodeSegment(bytes)
  t.same(
    decoded.payloads.map((p) => p.toString()),
    ['{"i":1}'],
  )
  t.equal(decoded.damage, 'checksum')
  t.equal(decoded.validBytes, encodeFrame(Buffer.from('{"i":1}')).length)
})
