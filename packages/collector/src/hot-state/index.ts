export { hotStateCommandError, hotStateUnavailable, isHotStateUnavailable } from './errors.js'
export {
  createResilientHotState,
  type ResilientHotState,
  type ResilientHotStateOptions,
} from './resilient.js'
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitResult,
} from './rate-limit.js'
