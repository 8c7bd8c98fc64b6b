import t from 'tap'
import { PINO_INJECTED_KEYS, pinoLevels, withoutPinoKeys } from '../src/transport-options.ts'

t.test('strips the keys pino and thread-stream add to a single target', async (t) => {
  const raw = { capacity: 5, $context: { threadStreamVersion: '4.2.1' }, pinoWillSendConfig: true }
  t.same(withoutPinoKeys(raw), { capacity: 5 })
  t.same(raw.capacity, 5, 'the input is not changed')
  t.ok('$context' in raw)
  t.same(PINO_INJECTED_KEYS, ['$context', 'pinoWillSendConfig', 'levels', 'dedupe'])
  t.same(withoutPinoKeys({ url: 'u', levels: { audit: 35 }, dedupe: true }), { url: 'u' }, 'customLevels and dedupe')
})

t.test("pinoLevels: the logger's custom levels pino passed, numbers only", async (t) => {
  t.same(pinoLevels({ levels: { audit: 35, bad: 'x' } }), { audit: 35 })
  t.equal(pinoLevels({ url: 'u' }), undefined)
  t.equal(pinoLevels({ levels: null }), undefined)
  t.equal(pinoLevels(undefined), undefined)
})

t.test('leaves everything else as it is', async (t) => {
  const plain = { capacity: 5 }
  t.equal(withoutPinoKeys(plain), plain, 'same object when there is nothing to strip')
  t.equal(withoutPinoKeys(undefined), undefined)
  t.equal(withoutPinoKeys(null), null)
  t.equal(withoutPinoKeys('x'), 'x')
  const list = ['$context']
  t.equal(withoutPinoKeys(list), list)
})
