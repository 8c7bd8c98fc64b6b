// format 'loki': its options, resolved and refused (the behaviour is in loki.test.ts).
import { ConfigError } from '@pino-advanced/core'
import t from 'tap'
import { resolveOptions } from '../src/options.ts'

t.test('config errors name the option', async (t) => {
  const url = 'http://loki:3100/loki/api/v1/push'
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ loki: { labels: { app: 'x' } } }, 'loki', /options of format 'loki'; format is 'json'/],
    [{ format: 'ndjson', loki: {} }, 'loki', /format is 'ndjson'/],
    [{ format: 'loki', method: 'PUT' }, 'method', /POST/],
    [{ format: 'loki', loki: 'app=x' }, 'loki', /options object/],
    [{ format: 'loki', loki: { lables: {} } }, 'loki.lables', /did you mean (http_handler\.)?loki\.labels\?/],
    [{ format: 'loki', loki: { labels: { 'app-name': 'x' } } }, 'loki.labels.app-name', /not a Loki label name/],
    [{ format: 'loki', loki: { labels: { '9lives': 'x' } } }, 'loki.labels.9lives', /\[a-zA-Z_\]/],
    [{ format: 'loki', loki: { labels: { app: '' } } }, 'loki.labels.app', /cannot be empty/],
    [{ format: 'loki', loki: { labels: { app: 3 } } }, 'loki.labels.app', /a string/],
    [{ format: 'loki', loki: { labels: { level: 'info' } } }, 'loki.labels.level', /each record's level/],
    [{ format: 'loki', loki: { labelFields: ['req.method'] } }, 'loki.labelFields', /not a Loki label name/],
    [{ format: 'loki', loki: { labelFields: 'user' } }, 'loki.labelFields', /a list of top-level field names/],
    [{ format: 'loki', loki: { labelFields: [1] } }, 'loki.labelFields', /expected a string/],
    [{ format: 'loki', loki: { labels: { app: 'x' }, labelFields: ['app'] } }, 'loki.labelFields', /static label/],
    [
      { format: 'loki', loki: { labelFields: Array.from({ length: 15 }, (_, i) => `f${i}`) } },
      'loki.labelFields',
      /more than 15 label names/,
    ],
    [
      { format: 'loki', loki: { structuredMetadataFields: ['trace-id'] } },
      'loki.structuredMetadataFields',
      /label name/,
    ],
    [
      { format: 'loki', loki: { labelFields: ['user'], structuredMetadataFields: ['user'] } },
      'loki.structuredMetadataFields',
      /already in labelFields/,
    ],
    [{ format: 'loki', loki: { maxLabelSets: 0 } }, 'loki.maxLabelSets', /./],
    [{ format: 'loki', loki: { line: 'msg' } }, 'loki.line', /'record', 'message'/],
    [{ format: 'loki', loki: { tenant: 'a b' } }, 'loki.tenant', /not a Loki tenant ID/],
    [{ format: 'loki', loki: { tenant: '..' } }, 'loki.tenant', /not a Loki tenant ID/],
    [{ format: 'loki', loki: { tenant: '' } }, 'loki.tenant', /non-empty string/],
  ]
  const violations: string[] = []
  for (const [raw, option, message] of cases) {
    for (const prefix of ['', 'http_handler']) {
      const name = prefix === '' ? option : `${prefix}.${option}`
      let error: unknown
      try {
        resolveOptions({ url, ...raw }, prefix)
      } catch (err) {
        error = err
      }
      const ok =
        error instanceof ConfigError &&
        error.option === name &&
        error.message.startsWith(`${name}:`) &&
        message.test(error.message)
      if (!ok) violations.push(`${JSON.stringify(raw)} -> ${(error as Error | undefined)?.message ?? 'no error'}`)
    }
  }
  t.same(violations, [])
})

t.test('options resolve: defaults, frozen, undefined with another format', async (t) => {
  const url = 'http://loki:3100/loki/api/v1/push'
  t.equal(resolveOptions({ url }).loki, undefined)
  const loki = resolveOptions({ url, format: 'loki', method: 'POST' }).loki
  t.same(loki, {
    labels: {},
    labelFields: [],
    maxLabelSets: 100,
    line: 'record',
    structuredMetadataFields: [],
    tenant: undefined,
  })
  t.ok(Object.isFrozen(loki))
  const full = resolveOptions({
    url,
    format: 'loki',
    loki: {
      labels: { app: 'api' },
      labelFields: ['user', 'user'],
      structuredMetadataFields: ['trace_id'],
      tenant: '42',
    },
  }).loki
  t.same([full?.labelFields, full?.structuredMetadataFields, full?.tenant], [['user'], ['trace_id'], '42'])
})
