export * from './limits.js'
export * from './semantic.js'
export * from './events.js'
export * from './batch.js'
