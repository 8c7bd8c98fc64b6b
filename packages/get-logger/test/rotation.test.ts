// Python's rotating file handlers: the schedule (pure), and the file that rotates between lines.
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../../../test/helpers/child.ts'
import { RotatingFile, type RotationPolicy } from '../src/rotation/rotating-file.ts'
import {
  nextRollover,
  rolloverSuffix,
  suffixPattern,
  type TimedSchedule,
  type When,
} from '../src/rotation/timed-schedule.ts'

const utc = (when: When, interval = 1): TimedSchedule => ({ when, interval, utc: true })
const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

t.test('the next rollover, as Python computes it', async (t) => {
  // 2026-12-02 is a Wednesday (W2).
  const now = at('2026-12-02T10:20:30.500Z')
  const cases: [TimedSchedule, string][] = [
    [utc('S', 5), '2026-12-02T10:20:35.500Z'],
    [utc('M'), '2026-12-02T10:21:30.500Z'],
    [utc('H', 2), '2026-12-02T12:20:30.500Z'],
    [utc('D'), '2026-12-03T10:20:30.500Z'],
    [utc('midnight'), '2026-12-03T00:00:00.000Z'],
    [utc('W2'), '2026-12-03T00:00:00.000Z'],
    [utc('W3'), '2026-12-04T00:00:00.000Z'],
    [utc('W6'), '2026-12-07T00:00:00.000Z'],
    [utc('W0'), '2026-12-08T00:00:00.000Z'],
    [utc('W1'), '2026-12-09T00:00:00.000Z'],
  ]
  const wrong = cases
    .map(([schedule, want]) => [schedule.when, iso(nextRollover(schedule, now)), want])
    .filter(([, got, want]) => got !== want)
  t.same(wrong, [], 'midnight and W<n> roll at the midnight that ends the day (the weekday)')
})

t.test('local midnight across a daylight saving change', async (t) => {
  const tz = process.env.TZ
  process.env.TZ = 'Europe/Berlin'
  t.teardown(() => {
    process.env.TZ = tz
  })
  const local: TimedSchedule = { when: 'midnight', interval: 1, utc: false }
  // 01:00 CET on the day clocks go forward: the next local midnight is 22:00Z, 23 hours on.
  t.equal(iso(nextRollover(local, at('2026-03-29T00:00:00Z'))), '2026-03-29T22:00:00.000Z')
  t.equal(iso(nextRollover(local, at('2026-03-27T12:00:00Z'))), '2026-03-27T23:00:00.000Z', 'a plain day')
  t.equal(rolloverSuffix(local, at('2026-03-28T23:00:00Z')), '2026-03-29', 'suffixes in local time')
})

t.test("rotated files' suffixes, and the pattern that finds them", async (t) => {
  const start = at('2026-12-02T07:08:09Z')
  const got = (['S', 'M', 'H', 'D', 'midnight', 'W4'] as When[]).map((when) => {
    const suffix = rolloverSuffix(utc(when), start)
    return [when, suffix, suffixPattern(when).test(suffix)]
  })
  t.same(got, [
    ['S', '2026-12-02_07-08-09', true],
    ['M', '2026-12-02_07-08', true],
    ['H', '2026-12-02_07', true],
    ['D', '2026-12-02', true],
    ['midnight', '2026-12-02', true],
    ['W4', '2026-12-02', true],
  ])
  t.notOk(suffixPattern('H').test('2026-12-02_07-08'), 'another unit is not this handler’s file')
})

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `{"n":${from + i}}\n`).join('')
/** Every file of a size rotation, oldest first: app.log.N ... app.log.1, app.log. */
function bySize(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => n.startsWith('app.log'))
  const rank = (n: string) => (n === 'app.log' ? 0 : Number(n.slice('app.log.'.length)))
  return names.sort((a, b) => rank(b) - rank(a))
}

t.test('by size: rotates between lines, the newest backup .1, the oldest removed', async (t) => {
  const dir = tempDir()
  const path = join(dir, 'app.log')
  const policy: RotationPolicy = { kind: 'size', maxBytes: 30, backupCount: 3 }
  const file = new RotatingFile(path, policy, () => {})
  // 9 bytes a line: 3 lines (27 bytes) fit below 30; the 4th would reach it.
  for (let i = 0; i < 4; i++) file.write(lines(i * 3 + 10, 3))
  file.write(lines(22, 5)) // a chunk of 5 lines is split where the bound falls
  file.end()
  const files = bySize(dir)
  t.same(files, ['app.log.3', 'app.log.2', 'app.log.1', 'app.log'], 'at most backupCount backups')
  const contents = files.map((f) => readFileSync(join(dir, f), 'utf8'))
  const problems = contents.flatMap((text, k) => {
    const whole = text
      .split('\n')
      .slice(0, -1)
      .every((l) => /^\{"n":\d+\}$/.test(l))
    return [
      ...(whole ? [] : [`${files[k]} has a split line`]),
      ...(text.length >= 30 ? [`${files[k]}: ${text.length} bytes`] : []),
    ]
  })
  t.same(problems, [], 'whole lines only, each file under max_bytes')
  const numbers = contents
    .join('')
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l).n)
  t.same(numbers, [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26], 'the newest records, in order; the oldest file removed')
})

t.test('by size: a line longer than max_bytes goes alone; 0 means never', async (t) => {
  const dir = tempDir()
  const file = new RotatingFile(join(dir, 'app.log'), { kind: 'size', maxBytes: 10, backupCount: 5 }, () => {})
  file.write(`{"long":"${'x'.repeat(20)}"}\n`)
  file.write('{"a":1}\n')
  file.write(`{"long":"${'y'.repeat(20)}"}\n`)
  file.end()
  t.same(
    bySize(dir).map((f) => readFileSync(join(dir, f), 'utf8').split('\n').length - 1),
    [1, 1, 1],
    'no empty file is rotated out: each file holds one line',
  )
  for (const policy of [
    { kind: 'size', maxBytes: 0, backupCount: 5 },
    { kind: 'size', maxBytes: 10, backupCount: 0 },
  ] as const) {
    const never = tempDir()
    const f = new RotatingFile(join(never, 'app.log'), policy, () => {})
    f.write(lines(0, 10))
    f.end()
    t.same(readdirSync(never), ['app.log'], `no rotation with ${JSON.stringify(policy)} (Python's rule)`)
  }
})

t.test('by time: rotated at the interval, named by its start, the oldest beyond backup_count removed', async (t) => {
  const dir = tempDir()
  const path = join(dir, 'app.log')
  let now = at('2026-12-02T10:00:00Z')
  const policy: RotationPolicy = { kind: 'time', schedule: utc('M'), backupCount: 2 }
  writeFileSync(join(dir, 'app.log.not-ours'), 'kept: not a rotated file of this schedule\n')
  const file = new RotatingFile(
    path,
    policy,
    () => {},
    () => now,
  )
  for (let minute = 0; minute < 4; minute++) {
    file.write(`{"minute":${minute}}\n`)
    now += 60_000
  }
  now += 10 * 60_000 // idle for ten minutes: one rotation, not ten
  file.write('{"minute":14}\n')
  file.end()
  t.same(readdirSync(dir).sort(), [
    'app.log',
    'app.log.2026-12-02_10-02',
    'app.log.2026-12-02_10-03',
    'app.log.not-ours',
  ])
  t.same(
    ['app.log.2026-12-02_10-02', 'app.log.2026-12-02_10-03', 'app.log'].map((f) => readFileSync(join(dir, f), 'utf8')),
    ['{"minute":2}\n', '{"minute":3}\n', '{"minute":14}\n'],
  )
})

t.test("by time: a file that exists keeps its schedule from its last write (Python's rule)", async (t) => {
  const dir = tempDir()
  const path = join(dir, 'app.log')
  writeFileSync(path, '{"old":true}\n')
  const written = at('2026-12-02T09:00:00Z')
  utimesSync(path, written / 1000, written / 1000)
  const file = new RotatingFile(
    path,
    { kind: 'time', schedule: utc('H'), backupCount: 0 },
    () => {},
    () => written + 3_600_000,
  )
  file.write('{"new":true}\n')
  file.end()
  t.same(
    readFileSync(join(dir, 'app.log.2026-12-02_09'), 'utf8'),
    '{"old":true}\n',
    'rotated at once: its hour had passed',
  )
})

t.test('a rotation that fails is reported and writing goes on; a failed write is an error event', async (t) => {
  const dir = tempDir()
  mkdirSync(join(dir, 'app.log.1', 'busy'), { recursive: true })
  const reports: string[] = []
  const file = new RotatingFile(join(dir, 'app.log'), { kind: 'size', maxBytes: 10, backupCount: 1 }, (m) =>
    reports.push(m),
  )
  file.write(lines(0, 2))
  file.write(lines(2, 1))
  t.match(reports, [/app\.log: rotation failed \(.+\); writing on into the same file$/])
  t.equal(readFileSync(join(dir, 'app.log'), 'utf8'), lines(0, 3), 'nothing lost')
  file.end()
  const errors: Error[] = []
  file.on('error', (err) => errors.push(err))
  file.write('{"late":true}\n')
  t.match(errors, [{ code: 'EBADF' }])
})

t.test('by time at midnight and on a weekday: the rotated file is named by the day it covers', async (t) => {
  const names: string[][] = []
  for (const when of ['midnight', 'W3'] as When[]) {
    const dir = tempDir()
    let now = at('2026-12-03T22:00:00Z') // a Thursday (W3)
    const file = new RotatingFile(
      join(dir, 'app.log'),
      { kind: 'time', schedule: utc(when), backupCount: 7 },
      () => {},
      () => now,
    )
    file.write(Buffer.from('{"day":"thursday"}\n'))
    file.flushSync()
    now = at('2026-12-04T00:00:01Z')
    file.write(Buffer.from('{"day":"friday"}\n'))
    file.end()
    names.push(readdirSync(dir).sort())
  }
  t.same(
    names,
    [
      ['app.log', 'app.log.2026-12-03'],
      ['app.log', 'app.log.2026-11-27'],
    ],
    "midnight: the day that ended; W3: the week's interval, started a week before the rollover (Python's rule)",
  )
})

t.test('by size: a chunk whose last line has no newline is written whole', async (t) => {
  const dir = tempDir()
  const file = new RotatingFile(join(dir, 'app.log'), { kind: 'size', maxBytes: 12, backupCount: 2 }, () => {})
  file.write(Buffer.from('{"a":1}\n{"b":2}'))
  file.end()
  t.same(
    bySize(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
    ['{"a":1}\n', '{"b":2}'],
  )
})
