import { afterAll, beforeAll, describe, it } from 'vitest'
import { startRedisCluster, type RedisCluster } from '../../../../../test/setup/servers.js'
import type { HotState } from '../../ports.js'
import { assertSameAsMemory } from '../../test-support/hot-state/differential.js'
import { createRedisClusterHotState } from './hot-state.js'

// Random sequences of operations must give the same answers from memory and from a real Redis
// Cluster (3 masters on loopback), so that switching between them (the resilient wrapper) never
// changes behaviour: with plain keys, and with workspace keys that go through the hash tags.

let redis: RedisCluster
let hot: HotState
beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3 })
  hot = createRedisClusterHotState({ nodes: redis.env.split(','), log: () => {} })
})
afterAll(async () => {
  await hot?.close?.()
  await redis?.stop()
})

describe('memory and Redis Cluster agree', () => {
  it('on any sequence of operations, plain keys', async () => {
    await assertSameAsMemory('cdiff', () => hot, undefined, 40)
  })

  it('on any sequence of operations, workspace keys (one hash tag per run)', async () => {
    await assertSameAsMemory(
      'cdiffws',
      () => hot,
      (prefix, key) => (key === 'feed' ? `live:${prefix}` : `rl:ws:${prefix}:${key}`),
      40,
    )
  })
})
