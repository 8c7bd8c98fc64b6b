import t from 'tap'
import { FakeClock } from '../../../test/helpers/fake-clock.ts'
import { Digest, OTHER_MESSAGES, StormControl } from '../src/digest.ts'

const rules = { groupIntervalMs: 60_000, maxEmailsPerHour: 60, maxRecordsPerEmail: 100 }

t.test('a Digest lists the first records and tallies the rest by message', async (t) => {
  const d = new Digest(2)
  d.add('a', 'x')
  d.add('b', 'y')
  d.add('c', 'db timeout')
  d.add('d', 'db timeout')
  d.add('e', 'other')
  t.same(d.listed, ['a', 'b'])
  t.equal(d.unlisted, 3)
  t.equal(d.count, 5)
  t.same(
    [...d.tally],
    [
      ['db timeout', 2],
      ['other', 1],
    ],
  )
  const many = new Digest(0)
  for (let i = 0; i < 150; i++) many.add('l', `msg ${i}`)
  many.add('l', 'msg 0')
  t.equal(many.tally.size, 101, '100 distinct messages, then one bucket for the rest')
  t.equal(many.tally.get(OTHER_MESSAGES), 50)
  t.equal(many.tally.get('msg 0'), 2, 'a known message keeps counting')
})

t.test('first record after quiet goes at once; the rest fold into one digest per interval', async (t) => {
  const clock = new FakeClock()
  const mails: number[] = []
  const storm = new StormControl(rules, clock, (d) => mails.push(d.count))
  storm.add('1', 'boom')
  t.same(mails, [1], 'mailed at once')
  for (let i = 0; i < 999; i++) storm.add('x', 'boom')
  t.equal(storm.pending, 999)
  t.same(mails, [1], 'held during the interval')
  clock.advanceSync(60_000)
  t.same(mails, [1, 999], 'one digest when the interval ends')
  clock.advanceSync(60_000)
  t.same(mails, [1, 999], 'nothing pending: quiet again')
  t.equal(clock.pendingTimers, 0, 'no timer left once quiet')
  storm.add('2', 'again')
  t.same(mails, [1, 999, 1], 'after a quiet interval the next record goes at once')
})

t.test('at most maxEmailsPerHour mails in any hour; the rest waits and folds, never dropped', async (t) => {
  const clock = new FakeClock()
  const mails: number[] = []
  const storm = new StormControl({ ...rules, groupIntervalMs: 1000, maxEmailsPerHour: 3 }, clock, (d) =>
    mails.push(d.count),
  )
  for (let second = 0; second < 10; second++) {
    storm.add('x', 'loop')
    clock.advanceSync(1000)
  }
  t.same(mails, [1, 1, 1], 'three mails, then the cap')
  t.equal(storm.pending, 7)
  clock.advanceSync(3_600_000)
  t.same(mails, [1, 1, 1, 7], 'the held records go in one mail once the hour allows')
  t.equal(
    mails.reduce((a, b) => a + b),
    10,
  )
})

t.test('takePending hands over what waits, whatever the interval and the cap', async (t) => {
  const clock = new FakeClock()
  const mails: number[] = []
  const storm = new StormControl(rules, clock, (d) => mails.push(d.count))
  t.equal(storm.takePending(), undefined)
  storm.add('a', 'm')
  storm.add('b', 'm')
  storm.add('c', 'm')
  t.equal(storm.takePending()?.count, 2)
  t.equal(clock.pendingTimers, 0)
  t.equal(storm.pending, 0)
})
