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
const value = fc.constantFrom('1', '-3', '0', '007', '-0', '', 'x', ' 5', '{"a":1}', 'é漢字🙂')
const ttl = fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: undefined })
const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  key.map((k): [string, Op] => [`get ${k}`, (h, p) => h.get(p(k))]),
  fc
    .tuple(key, fc.integer({ min: -50, max: 50 }), ttl)
    .map(([k, by, t]): [string, Op] => [`incr ${k} ${by} ${t}`, (h, p) => h.incr(p(k), by, t)]),
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
