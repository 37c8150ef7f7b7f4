import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { keyFor } from '../test-support/team.js'
import { createWorkspaceCache } from '../middleware/auth.js'
import { createKeyResolver } from './key-resolver.js'
import { secretDigest } from './secret-digest.js'

// The resolver does not depend on the backend; PGlite keeps this file fast. The revocation and
// scope behaviour through HTTP is in team/team.test.ts on both backends.
describe('key resolver caches', () => {
  let store: TestStore
  let ws: Awaited<ReturnType<TestStore['createWorkspace']>>
  beforeAll(async () => {
    store = await openTestStore('pglite')
    ws = await store.createWorkspace({ name: 'Digests' })
  })
  afterAll(() => store?.close())

  it('keys its caches by a digest: no stored cache key contains any raw key', async () => {
    const resolve = createKeyResolver(store, store.team, { now: () => new Date() })
    const scoped = await keyFor(store.team, ws.id, ['read'])
    const unknown = `lk_${'x'.repeat(43)}`
    const keys = [ws.writeKey, ws.secretKey, scoped, unknown]
    for (const k of keys) await resolve(k)
    // Cache hits answer the same as the first lookups.
    expect((await resolve(ws.writeKey))?.scopes).toEqual(['write'])
    expect((await resolve(ws.secretKey))?.workspace.id).toBe(ws.id)
    expect((await resolve(scoped))?.scopes).toEqual(['read'])
    expect(await resolve(unknown)).toBeNull()

    const stored = resolve.cachedKeys()
    // wk_ and sk_ in the legacy cache; the scoped key and the unknown one (negative cache).
    expect(stored).toHaveLength(4)
    for (const c of stored) {
      expect(c).toMatch(/^[\w-]{43}$/)
      for (const k of keys) {
        expect(c).not.toContain(k)
        // Not even the random part of a key (what follows its prefix).
        expect(c).not.toContain(k.slice(3, 20))
      }
    }
    // Held structures print without a secret either (a debug log of the resolver).
    expect(JSON.stringify(stored)).not.toMatch(/wk_|sk_|lk_/)
  })

  it('digests differ per key and are stable within the process', () => {
    expect(secretDigest('lk_a')).toBe(secretDigest('lk_a'))
    expect(secretDigest('lk_a')).not.toBe(secretDigest('lk_b'))
    expect(secretDigest('lk_a')).toMatch(/^[\w-]{43}$/)
  })

  it('keeps the workspace cache bounded and its TTL', async () => {
    const cache = createWorkspaceCache(20, 2)
    const w = { id: 'w', name: 'W', createdAt: '2026-01-01T00:00:00Z' }
    cache.set('wk_1', w)
    cache.set('wk_2', w)
    cache.set('wk_3', w)
    expect(cache.get('wk_1')).toBeUndefined()
    expect(cache.get('wk_3')).toEqual(w)
    expect(cache.storedKeys()).toHaveLength(2)
    expect(cache.storedKeys().join()).not.toContain('wk_')
    await new Promise((r) => setTimeout(r, 30))
    expect(cache.get('wk_3')).toBeUndefined()
  })
})
