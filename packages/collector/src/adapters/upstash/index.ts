export { createUpstashHotState, type UpstashHotStateOptions } from './hot-state.js'
