export { createApp, type AppDeps, type AppConfig, type IngestLimits } from './app.js'
export { CollectorError, type ErrorCode } from './errors.js'
export type * from './ports.js'
export { createPostgresStore, type PostgresStore } from './adapters/postgres/store.js'
