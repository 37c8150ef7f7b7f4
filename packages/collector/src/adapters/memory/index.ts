export { createMemoryHotState, type MemoryHotStateOptions } from './hot-state.js'
