import type { Context } from 'hono'
import type { KeyLookup, Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { isSecretKey, isWriteKey } from '../keys.js'

export type KeyKind = 'write' | 'secret'

export interface Credentials {
  key: string
  kind: KeyKind
}

/** Reads a key from `Authorization: Basic base64(key:)` (Segment) or `Bearer sk_…`. */
export function credentialsFromHeader(header: string | undefined): Credentials | null {
  if (!header) return null
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (!value) return null
  let key = value
  if (scheme?.toLowerCase() === 'basic') {
    try {
      key = atob(value).split(':')[0] ?? ''
    } catch {
      throw new CollectorError('unauthorized', 'Malformed Basic authorization header')
    }
  } else if (scheme?.toLowerCase() !== 'bearer') return null
  if (isSecretKey(key)) return { key, kind: 'secret' }
  if (isWriteKey(key)) return { key, kind: 'write' }
  throw new CollectorError(
    'unauthorized',
    'Unknown key format: write keys start wk_, secret keys sk_',
  )
}

export interface WorkspaceCache {
  get(key: string): Workspace | undefined
  set(key: string, ws: Workspace): void
}

/** A small in-process cache of resolved keys, so hashing and a lookup are not paid per request. */
export function createWorkspaceCache(ttlMs = 60_000, max = 10_000): WorkspaceCache {
  const map = new Map<string, { ws: Workspace; until: number }>()
  return {
    get(key) {
      const hit = map.get(key)
      if (!hit) return undefined
      if (hit.until < Date.now()) {
        map.delete(key)
        return undefined
      }
      return hit.ws
    },
    set(key, ws) {
      if (map.size >= max) map.delete(map.keys().next().value as string)
      map.set(key, { ws, until: Date.now() + ttlMs })
    },
  }
}

/** Resolves credentials to a workspace, or answers 401. */
export async function authenticate(
  store: KeyLookup,
  cache: WorkspaceCache,
  creds: Credentials | null,
): Promise<{ workspace: Workspace; kind: KeyKind }> {
  if (!creds) throw new CollectorError('unauthorized', 'Missing write key or secret key')
  const cacheKey = `${creds.kind}:${creds.key}`
  let ws = cache.get(cacheKey) ?? null
  if (!ws) {
    ws =
      creds.kind === 'secret'
        ? await store.workspaceBySecretKey(creds.key)
        : await store.workspaceByWriteKey(creds.key)
    if (!ws) throw new CollectorError('unauthorized', `Unknown ${creds.kind} key`)
    cache.set(cacheKey, ws)
  }
  return { workspace: ws, kind: creds.kind }
}

/** Route guard for the read and admin API: a secret key in `Authorization: Bearer sk_…`. */
export function requireSecretKey(store: KeyLookup, cache: WorkspaceCache) {
  return async function secretKeyAuth(c: Context, next: () => Promise<void>) {
    const creds = credentialsFromHeader(c.req.header('authorization'))
    if (creds && creds.kind !== 'secret')
      throw new CollectorError('forbidden', 'This API needs a secret key (sk_…)')
    const { workspace } = await authenticate(store, cache, creds)
    c.set('workspace' as never, workspace as never)
    await next()
  }
}
