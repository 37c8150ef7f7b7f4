// Who may do what in a workspace (docs/team.md): users, sessions, API keys, the audit trail.
// The PostgreSQL adapter is adapters/postgres/team.ts; every secret arrives here already hashed.
import type { Workspace } from '../ports.js'

export const ROLES = ['owner', 'admin', 'marketer', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const SCOPES = ['write', 'server', 'read', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

export interface User {
  id: string
  workspaceId: string
  email: string
  role: Role
  /** False until the invite link was used to set a password (or OIDC signed the user in). */
  active: boolean
  disabled: boolean
  createdAt: string
  /** The dashboard language the person chose (`en`, `zh-CN`); null: their browser's. */
  locale?: string | null
}

export interface SessionInfo {
  id: string
  userId: string
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  userAgent: string | null
  ip: string | null
}

export interface ApiKeyInfo {
  id: string
  name: string
  /** The first characters of the key, enough to recognise it; the key itself is never stored. */
  prefix: string
  scopes: Scope[]
  createdAt: string
  lastUsedAt: string | null
  /** Set while a rotated key is in its grace period. */
  expiresAt: string | null
}

export interface AuditActor {
  kind: 'user' | 'key' | 'system' | 'anonymous'
  id: string | null
  label: string | null
}

export interface AuditInput {
  /** Null for a failed sign-in with an e-mail no workspace knows. */
  workspaceId: string | null
  actor: AuditActor
  ip: string | null
  action: string
  target: string | null
  before?: unknown
  after?: unknown
  detail?: Record<string, unknown>
}

export interface AuditEntry extends Omit<AuditInput, 'workspaceId'> {
  id: string
  at: string
}

export interface AuditQuery {
  limit: number
  cursor?: string
  action?: string
  actorId?: string
  from?: Date
  to?: Date
}

/** A session found by its token, with its user and workspace; null when revoked or expired. */
/** A session to open: its token's hash, who, where, until when, and from what client. */
export interface NewSession {
  tokenHash: string
  userId: string
  workspaceId: string
  now: Date
  expiresAt: Date
  userAgent: string | null
  ip: string | null
}

export interface ActiveSession {
  session: SessionInfo
  user: User
  workspace: Workspace
}

export interface TeamStore {
  createUser(workspaceId: string, input: { email: string; role: Role }): Promise<User>
  listUsers(workspaceId: string): Promise<User[]>
  getUser(workspaceId: string, id: string): Promise<User | null>
  /** Every enabled user with this e-mail (one per workspace), with the stored password hash. */
  usersByEmail(email: string): Promise<(User & { passwordHash: string | null })[]>
  setRole(workspaceId: string, id: string, role: Role): Promise<User | null>
  /** Disables the user and revokes every session; false when unknown. */
  disableUser(workspaceId: string, id: string, now: Date): Promise<boolean>
  setPassword(userId: string, passwordHash: string): Promise<void>
  createUserToken(input: {
    userId: string
    purpose: 'invite' | 'reset'
    tokenHash: string
    expiresAt: Date
  }): Promise<void>
  /** The user an unused, unexpired token names; with `consume`, marks it used (once, atomically). */
  userToken(
    tokenHash: string,
    now: Date,
    consume: boolean,
  ): Promise<{ user: User; purpose: 'invite' | 'reset' } | null>
  createSession(input: NewSession): Promise<SessionInfo>
  /** Checked on every request: revoked, idle or expired sessions answer null. */
  activeSession(tokenHash: string, now: Date, idleMs: number): Promise<ActiveSession | null>
  listSessions(
    workspaceId: string,
    userId: string,
    now: Date,
    idleMs: number,
  ): Promise<SessionInfo[]>
  /** Revokes one session (of `userId` when given); false when unknown or already revoked. */
  revokeSession(workspaceId: string, id: string, now: Date, userId?: string): Promise<boolean>
  /** Revokes every session of a user; returns how many. */
  revokeUserSessions(workspaceId: string, userId: string, now: Date): Promise<number>
  createApiKey(
    workspaceId: string,
    input: { name: string; prefix: string; keyHash: string; scopes: Scope[]; createdBy: string },
  ): Promise<ApiKeyInfo>
  listApiKeys(workspaceId: string, now: Date): Promise<ApiKeyInfo[]>
  apiKeyByHash(
    keyHash: string,
    now: Date,
  ): Promise<{ key: ApiKeyInfo & { keyHash: string }; workspace: Workspace } | null>
  getApiKey(workspaceId: string, id: string, now: Date): Promise<ApiKeyInfo | null>
  revokeApiKey(workspaceId: string, id: string, now: Date): Promise<boolean>
  /** Lets a key live until `at` (rotation grace); false when unknown. */
  expireApiKey(workspaceId: string, id: string, at: Date): Promise<boolean>
  touchApiKey(id: string, at: Date): Promise<void>
  appendAudit(entry: AuditInput): Promise<void>
  listAudit(
    workspaceId: string,
    query: AuditQuery,
  ): Promise<{ entries: AuditEntry[]; next: string | null }>
}
