export * from './identifiers.js'
export * from './planner.js'
export * from './traits.js'
