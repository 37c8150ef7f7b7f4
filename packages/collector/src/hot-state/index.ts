export { hotStateCommandError, hotStateUnavailable, isHotStateUnavailable } from './errors.js'
