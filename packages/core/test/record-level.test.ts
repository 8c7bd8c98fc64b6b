import t from 'tap'
import { lineLevel } from '../src/record-level.ts'

t.test('reads the level of a pino line without parsing it', async (t) => {
  t.equal(lineLevel('{"level":30,"time":1,"msg":"hi"}'), 30)
  t.equal(lineLevel('{"level": 50,"msg":"x"}'), 50)
  t.equal(lineLevel('{"time":1,"level":60}'), 60)
  t.equal(lineLevel('{"level":"warn","msg":"x"}'), 40, 'label formatter')
  t.equal(lineLevel('{"level":"loud"}'), undefined)
  t.equal(lineLevel('{"level":null}'), undefined)
  t.equal(lineLevel('not json'), undefined)
  t.equal(lineLevel(''), undefined)
})
