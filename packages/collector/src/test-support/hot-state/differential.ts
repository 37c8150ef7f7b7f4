import fc from 'fast-check'
import { expect } from 'vitest'
import type { HotState } from '../../ports.js'
import { createMemoryHotState } from '../../adapters/memory/hot-state.js'
import { uniquePrefix } from './describe-hot-state.js'

// Random sequences of operations must give the same answers from memory and from real Redis,
// so that switching between them (the resilient wrapper) never changes behaviour.

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

/**
 * Checks that memory and `redis()` answer every random sequence of operations alike. `keyOf`
 * shapes the keys (e.g. into a workspace's, to go through Redis Cluster's hash tags).
 *
 * @example
 * it('on any sequence of operations', () => assertSameAsMemory('diff', () => openRedis()))
 */
export async function assertSameAsMemory(
  name: string,
  redis: () => HotState,
  keyOf: (prefix: string, key: string) => string = (prefix, key) => prefix + key,
  numRuns = 60,
) {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      const memory = createMemoryHotState()
      const hot = redis()
      const prefix = uniquePrefix(name)
      const k = (s: string) => keyOf(prefix, s)
      for (const [label, run] of ops) {
        const [m, r] = [await outcome(run(memory, k)), await outcome(run(hot, k))]
        expect({ label, result: r }).toEqual({ label, result: m })
      }
    }),
    { numRuns },
  )
}
