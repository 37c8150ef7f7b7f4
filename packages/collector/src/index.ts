export { createApp } from './app.js'
export type { AppDeps, AppConfig, IngestLimits } from './deps.js'
export { CollectorError, type ErrorCode } from './errors.js'
export type * from './ports.js'
