import type { Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { isSecretKey, isWriteKey } from '../keys.js'
import { isApiKey } from '../team/tokens.js'
import type { KeyResolver } from '../auth/principal.js'
import { secretDigest } from '../auth/secret-digest.js'

export type KeyKind = 'write' | 'secret' | 'api'

export interface Credentials {
  key: string
  kind: KeyKind
}

/** Reads a key from `Authorization: Basic base64(key:)` (Segment) or `Bearer <key>`. */
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
  if (isApiKey(key)) return { key, kind: 'api' }
  throw new CollectorError(
    'unauthorized',
    'Unknown key format: write keys start wk_, secret keys sk_, API keys lk_',
  )
}

export interface WorkspaceCache {
  get(key: string): Workspace | undefined
  set(key: string, ws: Workspace): void
  /** Test-only: the map's keys as stored (digests, never the keys themselves). */
  storedKeys(): string[]
}

/**
 * A small in-process cache of resolved keys, so hashing and a lookup are not paid per request.
 * Its keys are secrets, so the map holds their keyed digests (auth/secret-digest.ts), never them.
 */
export function createWorkspaceCache(ttlMs = 60_000, max = 10_000): WorkspaceCache {
  const map = new Map<string, { ws: Workspace; until: number }>()
  return {
    get(key) {
      const id = secretDigest(key)
      const hit = map.get(id)
      if (!hit) return undefined
      if (hit.until < Date.now()) {
        map.delete(id)
        return undefined
      }
      return hit.ws
    },
    set(key, ws) {
      if (map.size >= max) map.delete(map.keys().next().value as string)
      map.set(secretDigest(key), { ws, until: Date.now() + ttlMs })
    },
    storedKeys: () => [...map.keys()],
  }
}

/** The ingest kind of a key: `server`-scoped keys (and `sk_`) may send lifecycle events. */
export async function authenticateIngest(
  resolve: KeyResolver,
  creds: Credentials | null,
  opts: { fromBody?: boolean } = {},
): Promise<{ workspace: Workspace; kind: 'write' | 'secret' }> {
  if (!creds) throw new CollectorError('unauthorized', 'Missing write key or secret key')
  // As before scoped keys: a secret key is never accepted in the body.
  const found = opts.fromBody && creds.kind === 'secret' ? null : await resolve(creds.key)
  if (!found) throw new CollectorError('unauthorized', `Unknown ${creds.kind} key`)
  // A key in the body is as public as a page's script tag: it never carries server rights.
  if (found.scopes.includes('server') && !opts.fromBody)
    return { workspace: found.workspace, kind: 'secret' }
  if (found.scopes.includes('write')) return { workspace: found.workspace, kind: 'write' }
  throw new CollectorError('forbidden', 'This key has no write or server scope')
}
