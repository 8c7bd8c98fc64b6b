// The delivery's time is core's Clock; this module keeps the path its importers use.
export { type Clock, SYSTEM_CLOCK } from '@pino-advanced/core'
