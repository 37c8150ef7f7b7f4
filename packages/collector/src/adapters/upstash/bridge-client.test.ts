import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  startUpstashBridge,
  type UpstashBridge,
} from '../../../../../test/support/upstash-bridge.js'

// The test bridge must look like Upstash to the real client, in both response encodings; the
// protocol itself is checked byte by byte in test/support/upstash-bridge.test.ts.

let bridge: UpstashBridge
const P = `t:client:${Date.now().toString(36)}:`

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
})
afterAll(() => bridge.stop())

const client = (responseEncoding?: false) =>
  new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false, responseEncoding })

describe('@upstash/redis through the Upstash bridge', () => {
  for (const encoding of [undefined, false] as const) {
    const label = encoding === false ? 'plain JSON' : 'base64'
    it(`round-trips values with ${label} responses`, async () => {
      const redis = client(encoding)
      await redis.set(`${P}${label}:obj`, { name: 'Ada', tags: ['é', '🙂'] })
      expect(await redis.get(`${P}${label}:obj`)).toEqual({ name: 'Ada', tags: ['é', '🙂'] })
      await redis.set(`${P}${label}:s`, 'OK')
      expect(await redis.mget(`${P}${label}:s`, `${P}${label}:none`)).toEqual(['OK', null])
      expect(await redis.incrby(`${P}${label}:n`, 7)).toBe(7)
    })
  }

  it('runs pipelines and transactions', async () => {
    const redis = client()
    const piped = await redis.pipeline().set(`${P}p`, 'v').get(`${P}p`).incr(`${P}pn`).exec()
    expect(piped).toEqual(['OK', 'v', 1])
    const tx = await redis.multi().incrby(`${P}t`, 2).expire(`${P}t`, 60, 'NX').ttl(`${P}t`).exec()
    expect(tx[0]).toBe(2)
    expect(tx[1]).toBe(1)
    expect(tx[2]).toBeGreaterThan(0)
  })

  it('reads streams', async () => {
    const redis = client()
    const id = await redis.xadd(`${P}s`, '*', { kind: 'score', total: '42' })
    expect(await redis.xrange(`${P}s`, '-', '+')).toEqual({ [id]: { kind: 'score', total: 42 } })
  })

  it('surfaces a refused command as an error', async () => {
    const redis = client()
    await redis.set(`${P}txt`, 'abc')
    await expect(redis.incr(`${P}txt`)).rejects.toThrow(/not an integer/)
  })
})
