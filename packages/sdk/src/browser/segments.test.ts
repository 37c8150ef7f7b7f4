// The npm export `segments(lodestone)` (browser/segments.ts): the visitor's public segment keys
// from the collector the instance was loaded with. The global fetch stand-in answers like the
// collector's route (packages/collector/src/routes/segments.ts): `{"segments":[…]}` for a write
// key and an anonymousId or userId, a JSON error otherwise. Delivery of events goes to the
// instance's own fake (fakeCollector), so only personalisation requests reach the stand-in.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KEYS } from '../core/keys.js'
import type { Lodestone } from '../core/types.js'
import { segments } from '../index.js'
import { fakeCollector, fakeStorage, stubPersonalize } from '../test-support/fakes.js'
import { writeCookie } from './cookies.js'
import { createLodestone } from './lodestone.js'

let n = 0
const key = () => `wk_seg_${++n}` // answers are kept per page and key: a new key per test

beforeEach(() => {
  for (const k of Object.values(KEYS)) writeCookie(k, null)
  localStorage.clear()
})
afterEach(() => vi.unstubAllGlobals())

function loaded(options: Record<string, unknown> = {}): Lodestone & { key: string } {
  const l = createLodestone({ fetch: fakeCollector().fetch, localStorage: fakeStorage() })
  const k = key()
  l.load(k, { host: 'https://collector.test', pageViews: false, ...options })
  return Object.assign(l, { key: k })
}

describe('segments(lodestone), the npm export', () => {
  it("asks the instance's host with its write key and ids, once per set of ids", async () => {
    const asked = stubPersonalize((q) =>
      Response.json({ segments: q.get('userId') === 'u_7' ? ['customers', 'vip'] : ['visitors'] }),
    )
    const l = loaded()
    expect(l.writeKey).toBe(l.key)
    expect(l.host).toBe('https://collector.test')
    expect(await segments(l)).toEqual(['visitors'])
    expect(await segments(l)).toEqual(['visitors'])
    expect(asked.length).toBe(1)
    expect(asked[0]!.origin).toBe('https://collector.test')
    expect(asked[0]!.searchParams.get('writeKey')).toBe(l.key)
    expect(asked[0]!.searchParams.get('anonymousId')).toBe(l.user().anonymousId())
    expect(asked[0]!.searchParams.has('userId')).toBe(false)
    l.identify('u_7')
    expect(await segments(l)).toEqual(['customers', 'vip'])
    expect(asked[1]!.searchParams.get('userId')).toBe('u_7')
    expect(await segments(l)).toEqual(['customers', 'vip'])
    expect(asked.length).toBe(2)
    expect(await segments(l, { fresh: true })).toEqual(['customers', 'vip'])
    expect(asked.length).toBe(3)
  })

  it("asks the page's origin when load had no host (where the SDK sends events)", async () => {
    const asked = stubPersonalize(() => Response.json({ segments: [] }))
    const l = createLodestone({ fetch: fakeCollector().fetch, localStorage: fakeStorage() })
    l.load(key(), { pageViews: false })
    expect(l.host).toBeUndefined()
    expect(await segments(l)).toEqual([])
    expect(asked.map((u) => u.origin)).toEqual([location.origin])
  })

  it('asks nothing before load, nor while consent is pending or refused', async () => {
    const asked = stubPersonalize(() => Response.json({ segments: ['x'] }))
    const early = createLodestone({ fetch: fakeCollector().fetch, localStorage: fakeStorage() })
    expect(early.writeKey).toBeUndefined()
    expect(await segments(early)).toEqual([])
    const l = loaded({ requireConsent: true })
    expect(await segments(l)).toEqual([])
    l.consent.set(false)
    expect(await segments(l)).toEqual([])
    expect(asked.length).toBe(0)
    const granted = loaded({ requireConsent: true })
    granted.consent.set(true)
    expect(await segments(granted)).toEqual(['x'])
    expect(asked.length).toBe(1)
  })

  it('resolves [] on a network error, a non-200, bad JSON or a bad body, and asks again later', async () => {
    const answers: (() => Response)[] = [
      () => {
        throw new TypeError('Failed to fetch')
      },
      () => Response.json({ success: false, error: { code: 'internal' } }, { status: 503 }),
      () => new Response('<html>proxy error</html>', { status: 200 }),
      () => Response.json({ segments: { vip: true } }),
      () => Response.json({ segments: ['a', 7, null, 'b'] }),
    ]
    const asked = stubPersonalize(() => answers[asked.length - 1]!())
    const l = loaded()
    for (let i = 0; i < 4; i++) await expect(segments(l)).resolves.toEqual([])
    expect(await segments(l)).toEqual(['a', 'b'])
    expect(await segments(l)).toEqual(['a', 'b'])
    expect(asked.length).toBe(5)
  })

  it('never throws, whatever it is given', async () => {
    stubPersonalize(() => Response.json({ segments: ['x'] }))
    const throwing = {
      loaded: true,
      consent: {
        get() {
          throw new Error('broken consent')
        },
      },
    } as unknown as Lodestone
    await expect(segments(throwing)).resolves.toEqual([])
    await expect(segments(undefined as unknown as Lodestone)).resolves.toEqual([])
    await expect(segments({} as Lodestone)).resolves.toEqual([])
  })
})
