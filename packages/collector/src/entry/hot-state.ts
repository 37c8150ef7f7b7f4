import type { Clock, HotState } from '../ports.js'
import { createMemoryHotState, type MemoryHotStateOptions } from '../adapters/memory/hot-state.js'
import {
  createUpstashHotState,
  type UpstashHotStateOptions,
} from '../adapters/upstash/hot-state.js'
import { createResilientHotState } from '../hot-state/resilient.js'

export interface HotStateConfig {
  /** From `UPSTASH_REDIS_REST_URL` / `_TOKEN`; absent: in-process only. */
  upstash?: UpstashHotStateOptions
  /**
   * Builds a Redis hot state only Node can run (Redis Cluster over TCP,
   * adapters/redis-cluster/); a factory, so nothing connects before the configuration is
   * checked, and so the Workers bundle never imports ioredis. Exclusive with `upstash`.
   */
  redis?: () => HotState
  /** Bounds of the in-process state (alone, or as the fallback). */
  memory?: Omit<MemoryHotStateOptions, 'clock'>
  clock?: Clock
  /** Re-probe interval while Redis is down (default 5,000 ms). */
  probeIntervalMs?: number
  log?: (message: string) => void
}

/**
 * The hot state the collector runs on: Redis (through Upstash, or a Redis Cluster on Node) when
 * configured, with the
 * in-process state taking over during outages; the in-process state alone otherwise.
 * The caller reads the environment; this only takes values.
 *
 * @example
 * const hot = createHotState({
 *   upstash: env.UPSTASH_REDIS_REST_URL
 *     ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN ?? '' }
 *     : undefined,
 * })
 */
export function createHotState(config: HotStateConfig = {}): HotState {
  if (config.upstash && config.redis) {
    throw new Error(
      'Hot state lives in one Redis: set REDIS_CLUSTER_NODES or UPSTASH_REDIS_REST_URL, not both',
    )
  }
  const memory = createMemoryHotState({ ...config.memory, clock: config.clock })
  if (!config.upstash && !config.redis) return memory
  if (config.upstash && (!config.upstash.url || !config.upstash.token)) {
    throw new Error(
      'Upstash hot state needs both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN',
    )
  }
  const primary = config.upstash ? createUpstashHotState(config.upstash) : config.redis!()
  return createResilientHotState(primary, memory, {
    clock: config.clock,
    probeIntervalMs: config.probeIntervalMs,
    log: config.log,
  })
}
