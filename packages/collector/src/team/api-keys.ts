// Scoped API keys: shown once, stored as SHA-256 digests, rotated with a grace period.
import { CollectorError } from '../errors.js'
import { hashKey } from '../keys.js'
import { SCOPES, type ApiKeyInfo, type Scope, type TeamStore } from './port.js'
import { newApiKey } from './tokens.js'

/** After a rotation the old key keeps working this long, so senders can switch without downtime. */
export const ROTATE_GRACE_MS = 24 * 3_600_000

export function parseScopes(v: unknown): Scope[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
  const scopes = [...new Set(list)]
  if (scopes.length === 0 || !scopes.every((s) => (SCOPES as readonly unknown[]).includes(s)))
    throw new CollectorError(
      'bad_request',
      `scopes must be a non-empty list of ${SCOPES.join(', ')}`,
    )
  return scopes as Scope[]
}

export function parseKeyName(v: unknown): string {
  const name = typeof v === 'string' ? v.trim() : ''
  if (!name || name.length > 100)
    throw new CollectorError('bad_request', 'name must be 1 to 100 characters')
  return name
}

/** Creates a key; its clear text is in the answer and nowhere else. */
export async function createApiKey(
  team: TeamStore,
  workspaceId: string,
  input: { name: string; scopes: Scope[]; createdBy: string },
): Promise<ApiKeyInfo & { key: string }> {
  const key = newApiKey()
  const info = await team.createApiKey(workspaceId, {
    ...input,
    prefix: key.slice(0, 9),
    keyHash: await hashKey(key),
  })
  return { ...info, key }
}

/** A new key with the same name and scopes; the old one expires after the grace period. */
export async function rotateApiKey(
  team: TeamStore,
  workspaceId: string,
  id: string,
  now: Date,
  createdBy: string,
) {
  const old = await team.getApiKey(workspaceId, id, now)
  if (!old) throw new CollectorError('not_found', 'No such key')
  const fresh = await createApiKey(team, workspaceId, {
    name: old.name,
    scopes: old.scopes,
    createdBy,
  })
  const expiresAt = new Date(now.getTime() + ROTATE_GRACE_MS)
  await team.expireApiKey(workspaceId, id, expiresAt)
  return { ...fresh, previous: { id, expiresAt: expiresAt.toISOString() } }
}
