// The splitter that keeps each line's bytes is core's; this module keeps the path its importers use.
export { type OnSpan, RawLineSplitter as LineSplitter } from '@pino-advanced/core'
