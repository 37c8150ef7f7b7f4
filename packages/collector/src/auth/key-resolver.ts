// Resolves an API key to its workspace and scopes. The first `wk_`/`sk_` pair cannot be revoked,
// so it is cached for a minute; scoped keys are cached for at most a second, which is how long a
// revocation takes to reach every process (docs/team.md). Last use is written at most once a
// minute per key and process, never once per request. Both caches are keyed by a keyed digest of
// the key (auth/secret-digest.ts), so no live secret sits in a long-lived map.
import type { Clock, Store } from '../ports.js'
import { SCOPES, type TeamStore } from '../team/port.js'
import { constantTimeEqual, hashKey, isSecretKey, isWriteKey } from '../keys.js'
import { createWorkspaceCache } from '../middleware/auth.js'
import { isApiKey } from '../team/tokens.js'
import type { KeyPrincipal, KeyResolver } from './principal.js'
import { secretDigest } from './secret-digest.js'

export type { KeyResolver }

const SCOPED_TTL_MS = 1000
const TOUCH_MS = 60_000
const MAX_ENTRIES = 10_000

/** True for any key format the collector knows. */
export const isKnownKeyFormat = (key: string) =>
  isSecretKey(key) || isWriteKey(key) || isApiKey(key)

/** A resolver, and (for tests only) the keys its caches hold as stored. */
export type InspectableKeyResolver = KeyResolver & { cachedKeys(): string[] }

export function createKeyResolver(
  store: Store,
  team: TeamStore,
  clock: Clock,
): InspectableKeyResolver {
  const legacy = createWorkspaceCache()
  const scoped = new Map<string, { until: number; value: KeyPrincipal | null }>()
  const touched = new Map<string, number>()

  async function resolveScoped(key: string): Promise<KeyPrincipal | null> {
    const id = secretDigest(key)
    const hit = scoped.get(id)
    if (hit && hit.until > Date.now()) return hit.value
    const hash = await hashKey(key)
    const found = await team.apiKeyByHash(hash, clock.now())
    // Found by its digest; compared again in constant time, as every secret is.
    const value =
      found && constantTimeEqual(found.key.keyHash, hash)
        ? {
            kind: 'key' as const,
            id: found.key.id,
            label: found.key.prefix,
            scopes: found.key.scopes,
            workspace: found.workspace,
          }
        : null
    if (scoped.size >= MAX_ENTRIES) scoped.clear()
    scoped.set(id, { until: Date.now() + SCOPED_TTL_MS, value })
    if (value && (touched.get(value.id) ?? 0) < Date.now() - TOUCH_MS) {
      touched.set(value.id, Date.now())
      if (touched.size > MAX_ENTRIES) touched.clear()
      team.touchApiKey(value.id, clock.now()).catch(() => {})
    }
    return value
  }

  async function resolveKey(key: string): Promise<KeyPrincipal | null> {
    if (isApiKey(key)) return resolveScoped(key)
    const secret = isSecretKey(key)
    if (!secret && !isWriteKey(key)) return null
    const cacheKey = `${secret ? 'secret' : 'write'}:${key}`
    let ws = legacy.get(cacheKey) ?? null
    if (!ws) {
      ws = secret ? await store.workspaceBySecretKey(key) : await store.workspaceByWriteKey(key)
      if (!ws) return null
      legacy.set(cacheKey, ws)
    }
    return {
      kind: 'key',
      id: secret ? 'secret-key' : 'write-key',
      label: key.slice(0, 6),
      scopes: secret ? SCOPES : ['write'],
      workspace: ws,
    }
  }
  return Object.assign(resolveKey, {
    cachedKeys: () => [...scoped.keys(), ...legacy.storedKeys()],
  })
}
