export { createRedisClusterHotState, type RedisClusterHotStateOptions } from './hot-state.js'
export { parseNode, parseNodeList } from './nodes.js'
export { clusterKey, hashTag } from './keys.js'
