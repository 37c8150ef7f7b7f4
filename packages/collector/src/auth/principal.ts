// Who is calling: an API key (legacy `wk_`/`sk_` or a scoped `lk_` key) or a signed-in person.
import type { Workspace } from '../ports.js'
import type { Role, Scope, SessionInfo, User } from '../team/port.js'

export interface KeyPrincipal {
  kind: 'key'
  /** The key's id (`write-key` / `secret-key` for the workspace's first pair). */
  id: string
  /** A recognisable prefix, never the key. */
  label: string
  scopes: readonly Scope[]
  workspace: Workspace
}

export interface UserPrincipal {
  kind: 'user'
  user: User
  role: Role
  session: SessionInfo
  workspace: Workspace
  /** The CSRF token every state-changing request of this session must carry. */
  csrf: string
}

export type Principal = KeyPrincipal | UserPrincipal

/** Resolves an API key to its workspace and scopes; null when unknown (auth/key-resolver.ts). */
export type KeyResolver = (key: string) => Promise<KeyPrincipal | null>

/** The audit trail's view of a principal. */
export function actorOf(p: Principal | null) {
  if (!p) return { kind: 'anonymous' as const, id: null, label: null }
  return p.kind === 'key'
    ? { kind: 'key' as const, id: p.id, label: p.label }
    : { kind: 'user' as const, id: p.user.id, label: p.user.email }
}
