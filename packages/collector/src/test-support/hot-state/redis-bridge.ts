import { Redis as IoRedis } from 'ioredis'
import { afterAll, beforeAll, inject } from 'vitest'
import {
  startUpstashBridge,
  type UpstashBridge,
} from '../../../../../test/support/upstash-bridge.js'

export interface RedisThroughBridge {
  /** The Upstash REST bridge in front of the suite's real redis-server. */
  readonly bridge: UpstashBridge
  /** A direct connection to the same redis-server, to look behind the adapter's back. */
  readonly direct: IoRedis
}

/**
 * Starts an Upstash REST bridge to the suite's real redis-server (and a direct client) before the
 * file's tests and stops both after them.
 */
export function useRedisThroughBridge(): RedisThroughBridge {
  let bridge: UpstashBridge | undefined
  let direct: IoRedis | undefined
  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
    direct = new IoRedis({ port: inject('redisPort'), host: '127.0.0.1' })
  })
  afterAll(async () => {
    await bridge?.stop()
    direct?.disconnect()
  })
  return {
    get bridge() {
      if (!bridge) throw new Error('the Redis bridge starts in beforeAll')
      return bridge
    },
    get direct() {
      if (!direct) throw new Error('the Redis connection opens in beforeAll')
      return direct
    },
  }
}
