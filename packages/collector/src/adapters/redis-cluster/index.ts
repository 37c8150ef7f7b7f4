export {
  createRedisClusterHotState,
  parseNode,
  type RedisClusterHotStateOptions,
} from './hot-state.js'
export { clusterKey, hashTag } from './keys.js'
