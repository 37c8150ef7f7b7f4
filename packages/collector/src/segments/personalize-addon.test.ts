import { readFileSync } from 'node:fs'
import { Window } from 'happy-dom'
import { describe, expect, it } from 'vitest'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores } from '../test-support/stores.js'

// Website personalisation end to end (docs/segments.md): the SDK's full script-tag build and
// the /sdk-segments.js add-on, as the collector serves them (packages/sdk/dist, built), run in
// a happy-dom page whose fetch reaches this collector in-process. A visitor who viewed the
// pricing page gets the key of the public segment that holds them, never the private one's.

const dist = new URL('../../../sdk/dist/', import.meta.url)
const FULL = readFileSync(new URL('lodestone.iife.js', dist), 'utf8')
const ADDON = readFileSync(new URL('lodestone.segments.iife.js', dist), 'utf8')

const stores = closingStores()

type Sdk = {
  flush(): Promise<void>
  user(): { anonymousId(): string }
  segments(o?: { fresh?: boolean }): Promise<string[]>
}

describe.each(BACKENDS)('lodestone.segments() against the collector (%s)', (backend) => {
  it('answers a member the public segment key only; a non-member nothing', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const secret = (method: string, path: string, body: unknown) =>
      t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const pricing = {
      events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 1, within: '14d' },
    }
    const made: Record<string, string> = {}
    for (const [key, browser] of [
      ['show-enterprise-banner', true],
      ['pricing-watchers', false],
    ] as const) {
      const res = await secret('POST', '/v1/segments', {
        name: key,
        key,
        conditions: pricing,
        browser,
      })
      expect(res.status).toBe(201)
      made[key] = ((await res.json()) as { id: string }).id
    }
    while ((await t.segments.backfillStep(new Date())) !== null);

    const asked: string[] = []
    const visit = async (url: string) => {
      const window = new Window({ url, settings: { enableJavaScriptEvaluation: true } })
      const w = window as unknown as Record<string, unknown> & { eval(code: string): unknown }
      w.fetch = async (input: string, init?: RequestInit) => {
        const u = new URL(String(input))
        expect(u.origin).toBe('https://collector.test')
        if (u.pathname.startsWith('/v1/personalize')) asked.push(u.search)
        return t.app.request(u.pathname + u.search, {
          method: init?.method ?? 'GET',
          headers: init?.headers as Record<string, string> | undefined,
          body: init?.body as string | undefined,
        })
      }
      const tag = window.document.createElement('script')
      tag.setAttribute('type', 'text/x-not-loaded') // the SDK's tag, read for its attributes
      tag.setAttribute('src', 'https://collector.test/sdk.js')
      tag.setAttribute('data-write-key', t.ws.writeKey)
      window.document.head.appendChild(tag)
      w.eval(FULL)
      w.eval(ADDON)
      const sdk = w.lodestone as Sdk
      await sdk.flush()
      return { sdk, close: () => window.happyDOM.close() }
    }

    const member = await visit('https://site.test/pricing')
    const other = await visit('https://site.test/about')
    try {
      // The private segment holds the member too: only its being private keeps it out.
      const watchers = await t.get(`/v1/segments/${made['pricing-watchers']}`)
      expect(((await watchers.json()) as { members: number }).members).toBe(1)
      expect(await member.sdk.segments()).toEqual(['show-enterprise-banner'])
      expect(await member.sdk.segments()).toEqual(['show-enterprise-banner'])
      expect(await other.sdk.segments()).toEqual([])
      expect(asked.length).toBe(2) // one request per page
      expect(asked[0]).toContain(`anonymousId=${member.sdk.user().anonymousId()}`)
    } finally {
      await member.close()
      await other.close()
    }
  })
})
