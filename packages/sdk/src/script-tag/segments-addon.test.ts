// The personalisation add-on (/sdk-segments.js) beside the full build: lodestone.segments()
// asks GET /v1/personalize/segments with the write key and the ids the SDK holds. The fetch
// stand-in answers like the collector's route (packages/collector/src/routes/segments.ts):
// `{"segments":[…]}` for a write key and an anonymousId or userId, a JSON error otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { stubPersonalize } from '../test-support/fakes.js'

const w = window as unknown as Record<string, unknown>
type Segments = (options?: { fresh?: boolean }) => Promise<string[]>

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
  delete w.lodestone
  document.querySelectorAll('script[src]').forEach((s) => s.remove())
  localStorage.clear()
  document.cookie.split(';').forEach((c) => {
    document.cookie = `${c.split('=')[0]!.trim()}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  })
})

/** The full build from its tag, then the add-on; answers lodestone.segments. */
async function load(attrs: Record<string, string> = {}) {
  const s = document.createElement('script')
  s.type = 'text/x-not-loaded' // happy-dom must not try to fetch the src
  s.setAttribute('src', 'https://collector.test/sdk.js')
  s.setAttribute('data-write-key', 'wk_site')
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v)
  document.head.append(s)
  await import('./full.js')
  await import('./segments-addon.js')
  return (w.lodestone as { segments: Segments }).segments
}

const anonymousId = () =>
  (w.lodestone as { user(): { anonymousId(): string } }).user().anonymousId()

describe('segments add-on', () => {
  it("asks once with the SDK's host, write key and anonymousId; fresh asks again", async () => {
    const asked = stubPersonalize(() => Response.json({ segments: ['show-enterprise-banner'] }))
    const segments = await load()
    expect(await segments()).toEqual(['show-enterprise-banner'])
    expect(await segments()).toEqual(['show-enterprise-banner'])
    expect(asked.length).toBe(1)
    expect(asked[0]!.origin).toBe('https://collector.test')
    expect(asked[0]!.searchParams.get('writeKey')).toBe('wk_site')
    expect(asked[0]!.searchParams.get('anonymousId')).toBe(anonymousId())
    expect(asked[0]!.searchParams.has('userId')).toBe(false)
    expect(await segments({ fresh: true })).toEqual(['show-enterprise-banner'])
    expect(asked.length).toBe(2)
  })

  it('sends the userId once the visitor is identified, and data-host wins', async () => {
    const asked = stubPersonalize((q) =>
      Response.json({ segments: q.get('userId') === 'u_42' ? ['customers'] : [] }),
    )
    const segments = await load({ 'data-host': 'https://c.example.org' })
    expect(await segments()).toEqual([])
    ;(w.lodestone as { identify(id: string): void }).identify('u_42')
    expect(await segments()).toEqual(['customers'])
    expect(asked.map((u) => u.origin)).toEqual(['https://c.example.org', 'https://c.example.org'])
    expect(asked[1]!.searchParams.get('anonymousId')).toBe(anonymousId())
  })

  it('resolves [] on a network error, a non-200, bad JSON or a bad body, and asks again later', async () => {
    const answers: (() => Response)[] = [
      () => {
        throw new TypeError('Failed to fetch')
      },
      () => Response.json({ success: false, error: { code: 'internal' } }, { status: 503 }),
      () => new Response('<html>proxy error</html>', { status: 200 }),
      () => Response.json({ segments: 'vip' }),
      () => Response.json({ segments: ['a', 7, null, 'b'] }),
    ]
    const asked = stubPersonalize(() => answers[asked.length - 1]!())
    const segments = await load()
    for (let i = 0; i < 4; i++) await expect(segments()).resolves.toEqual([])
    expect(await segments()).toEqual(['a', 'b'])
    expect(await segments()).toEqual(['a', 'b'])
    expect(asked.length).toBe(5)
  })

  it('asks nothing while consent is pending (the anonymousId stays on the page)', async () => {
    const asked = stubPersonalize(() => Response.json({ segments: ['x'] }))
    const segments = await load({ 'data-require-consent': '' })
    expect(await segments()).toEqual([])
    expect(asked.length).toBe(0)
    ;(w.lodestone as { consent: { set(v: boolean): void } }).consent.set(true)
    expect(await segments()).toEqual(['x'])
    expect(asked.length).toBe(1)
  })

  it('asks with the key and host lodestone.load() was given, with no tag attributes', async () => {
    const asked = stubPersonalize(() => Response.json({ segments: ['loaded-form'] }))
    const s = document.createElement('script')
    s.type = 'text/x-not-loaded'
    s.setAttribute('src', 'https://cdn.test/sdk.js') // a CDN copy: not the collector's origin
    document.head.append(s)
    await import('./full.js')
    const l = w.lodestone as { load(key: string, o: object): void; segments: Segments }
    l.load('wk_loaded', { host: 'https://c.example.org' })
    await import('./segments-addon.js')
    expect(await l.segments()).toEqual(['loaded-form'])
    expect(asked.map((u) => u.origin)).toEqual(['https://c.example.org'])
    expect(asked[0]!.searchParams.get('writeKey')).toBe('wk_loaded')
    expect(asked[0]!.searchParams.get('anonymousId')).toBe(anonymousId())
  })

  it("asks the page's origin when load() was given no host, as the SDK sends there", async () => {
    const asked = stubPersonalize(() => Response.json({ segments: [] }))
    await import('./full.js')
    const l = w.lodestone as { load(key: string): void; segments: Segments }
    l.load('wk_same_origin')
    await import('./segments-addon.js')
    expect(await l.segments()).toEqual([])
    expect(asked.map((u) => u.origin)).toEqual([location.origin])
    expect(asked[0]!.searchParams.get('writeKey')).toBe('wk_same_origin')
  })

  it('falls back to the tag attributes beside an SDK build that does not expose its key', async () => {
    const asked = stubPersonalize(() => Response.json({ segments: ['old-build'] }))
    const s = document.createElement('script')
    s.type = 'text/x-not-loaded'
    s.setAttribute('src', 'https://collector.test/sdk.js')
    s.setAttribute('data-write-key', 'wk_tag')
    document.head.append(s)
    // what an SDK build from before `writeKey`/`host` were exposed offers the add-on
    w.lodestone = {
      loaded: true,
      consent: { get: () => ({ status: 'granted' }) },
      user: () => ({ anonymousId: () => 'anon-1', id: () => null }),
    }
    await import('./segments-addon.js')
    const segments = (w.lodestone as { segments: Segments }).segments
    expect(await segments()).toEqual(['old-build'])
    expect(asked[0]!.origin).toBe('https://collector.test')
    expect(asked[0]!.searchParams.get('writeKey')).toBe('wk_tag')
    expect(asked[0]!.searchParams.get('anonymousId')).toBe('anon-1')
  })

  it('attaches itself once the page has loaded when it ran before the SDK', async () => {
    stubPersonalize(() => Response.json({ segments: ['early'] }))
    w.lodestone = []
    await import('./segments-addon.js')
    expect((w.lodestone as { segments?: unknown }).segments).toBeUndefined()
    const s = document.createElement('script')
    s.type = 'text/x-not-loaded'
    s.setAttribute('src', 'https://collector.test/sdk.js')
    s.setAttribute('data-write-key', 'wk_site')
    document.head.append(s)
    await import('./full.js')
    window.dispatchEvent(new Event('load'))
    const segments = (w.lodestone as { segments: Segments }).segments
    expect(await segments()).toEqual(['early'])
  })
})
