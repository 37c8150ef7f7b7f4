import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import {
  startUpstashBridge,
  type UpstashBridge,
} from '../../../../../test/support/upstash-bridge.js'
import { assertSameAsMemory } from '../../test-support/hot-state/differential.js'
import { createUpstashHotState } from './hot-state.js'

// Random sequences of operations must give the same answers from memory and from real Redis,
// so that switching between them (the resilient wrapper) never changes behaviour.

let bridge: UpstashBridge
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
})
afterAll(() => bridge.stop())

describe('memory and Upstash → Redis agree', () => {
  it('on any sequence of operations', async () => {
    await assertSameAsMemory('diff', () =>
      createUpstashHotState({ url: bridge.url, token: bridge.token }),
    )
  })
})
