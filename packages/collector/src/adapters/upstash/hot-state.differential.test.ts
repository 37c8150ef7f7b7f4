import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  startUpstashBridge,
  type UpstashBridge,
} from '../../../../../test/support/upstash-bridge.js'
import type { HotState } from '../../ports.js'
import { uniquePrefix } from '../../hot-state/testing/describe-hot-state.js'
import { createMemoryHotState } from '../memory/hot-state.js'
import { createUpstashHotState } from './hot-state.js'

// Random sequences of operations must give the same answers from memory and from real Redis,
// so that switching between them (the resilient wrapper) never changes behaviour.

let bridge: UpstashBridge
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
})
afterAll(() => bridge.stop())

type Op = (hot: HotState, k: (key: string) => string) => Promise<unknown>

const key = fc.constantFrom('a', 'b', 'c')
const value = fc.constantFrom('1', '-3', '0', '007', '-0', '', 'x', ' 5', '9007199254740000')
const ttl = fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: undefined })
const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  fc
    .tuple(key, value, ttl)
    .map(([k, v, t]): [string, Op] => [`set ${k} ${v} ${t}`, (h, p) => h.set(p(k), v, t)]),
  key.map((k): [string, Op] => [`get ${k}`, (h, p) => h.get(p(k))]),
  fc
    .array(key, { maxLength: 4 })
    .map((ks): [string, Op] => [`mget ${ks}`, (h, p) => h.mget(ks.map(p))]),
  key.map((k): [string, Op] => [`del ${k}`, (h, p) => h.del(p(k))]),
  fc
    .tuple(key, fc.integer({ min: -50, max: 50 }), ttl)
    .map(([k, by, t]): [string, Op] => [`incr ${k} ${by} ${t}`, (h, p) => h.incr(p(k), by, t)]),
  fc
    .tuple(key, value)
    .map(([k, v]): [string, Op] => [
      `setIfAbsent ${k} ${v}`,
      (h, p) => h.setIfAbsent(p(k), v, 100),
    ]),
  key.map((k): [string, Op] => [`expire ${k}`, (h, p) => h.expire(p(k), 100)]),
  value.map((v): [string, Op] => [
    `feedAppend ${v}`,
    async (h, p) => /^\d+-\d+$/.test(await h.feedAppend(p('feed'), v, 500)),
  ]),
  fc
    .integer({ min: 1, max: 5 })
    .map((n): [string, Op] => [
      `feedRead ${n}`,
      async (h, p) => (await h.feedRead(p('feed'), null, n)).map((e) => e.entry),
    ]),
)

const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ ok: v }),
    (e: unknown) => ({ rejected: (e as { code?: string }).code ?? 'no code' }),
  )

describe('memory and Upstash → Redis agree', () => {
  it('on any sequence of operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const memory = createMemoryHotState()
        const redis = createUpstashHotState({ url: bridge.url, token: bridge.token })
        const prefix = uniquePrefix('diff')
        const k = (s: string) => prefix + s
        for (const [label, run] of ops) {
          const [m, r] = [await outcome(run(memory, k)), await outcome(run(redis, k))]
          expect({ label, result: r }).toEqual({ label, result: m })
        }
      }),
      { numRuns: 60 },
    )
  })
})
