export { hotStateCommandError, hotStateUnavailable, isHotStateUnavailable } from './errors.js'
export {
  createResilientHotState,
  type ResilientHotState,
  type ResilientHotStateOptions,
} from './resilient.js'
