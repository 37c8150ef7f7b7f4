// The team port (team/port.ts) on PostgreSQL: users, tokens, sessions, API keys, audit.
import type { Sql } from 'postgres'
import { CollectorError } from '../../errors.js'
import type {
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  NewSession,
  Role,
  Scope,
  SessionInfo,
  TeamStore,
  User,
} from '../../team/port.js'
import { decodeCursor, encodeCursor } from './cursor.js'

type Guard = <T>(fn: () => Promise<T>) => Promise<T>
type Row = Record<string, unknown>

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d == null ? null : String(d))
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Session last-used times are written at most this often, not on every request. */
const TOUCH_MS = 60_000

const toUser = (r: Row): User => ({
  id: r.id as string,
  workspaceId: r.workspace_id as string,
  email: r.email as string,
  role: r.role as Role,
  active: r.password_hash != null || r.oidc_subject != null,
  disabled: r.disabled_at != null,
  createdAt: iso(r.created_at)!,
  locale: (r.locale as string | null | undefined) ?? null,
})

const toSession = (r: Row): SessionInfo => ({
  id: r.id as string,
  userId: r.user_id as string,
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at)!,
  expiresAt: iso(r.expires_at)!,
  userAgent: (r.user_agent as string | null) ?? null,
  ip: (r.ip as string | null) ?? null,
})

const toKey = (r: Row): ApiKeyInfo => ({
  id: r.id as string,
  name: r.name as string,
  prefix: r.prefix as string,
  scopes: r.scopes as Scope[],
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at),
  expiresAt: iso(r.expires_at),
})

const toAudit = (r: Row): AuditEntry => ({
  id: String(r.id),
  at: iso(r.at)!,
  actor: {
    kind: r.actor_kind as AuditEntry['actor']['kind'],
    id: (r.actor_id as string | null) ?? null,
    label: (r.actor_label as string | null) ?? null,
  },
  ip: (r.ip as string | null) ?? null,
  action: r.action as string,
  target: (r.target as string | null) ?? null,
  ...(r.before != null ? { before: r.before } : {}),
  ...(r.after != null ? { after: r.after } : {}),
  ...(r.detail != null ? { detail: r.detail as Record<string, unknown> } : {}),
})

const USER_COLS =
  'id, workspace_id, email, role, password_hash, oidc_subject, disabled_at, created_at, locale'

function teamUsers(sql: Sql, guard: Guard) {
  return {
    async createUser(workspaceId: string, input: { email: string; role: Role }) {
      const rows = await guard(
        () => sql`insert into users (id, workspace_id, email, role)
          values (${crypto.randomUUID()}, ${workspaceId}, ${input.email}, ${input.role})
          on conflict do nothing returning ${sql.unsafe(USER_COLS)}`,
      )
      if (!rows[0]) throw new CollectorError('conflict', 'A user with that e-mail already exists')
      return toUser(rows[0])
    },
    async listUsers(workspaceId: string) {
      const rows = await guard(
        () => sql`select ${sql.unsafe(USER_COLS)} from users
          where workspace_id = ${workspaceId} order by created_at, email`,
      )
      return rows.map(toUser)
    },
    async getUser(workspaceId: string, id: string) {
      if (!UUID.test(id)) return null
      const [row] = await guard(
        () => sql`select ${sql.unsafe(USER_COLS)} from users
          where workspace_id = ${workspaceId} and id = ${id}`,
      )
      return row ? toUser(row) : null
    },
    async usersByEmail(email: string) {
      const rows = await guard(
        () => sql`select ${sql.unsafe(USER_COLS)} from users
          where lower(email) = ${email.toLowerCase()} and disabled_at is null
          order by created_at limit 20`,
      )
      return rows.map((r) => ({ ...toUser(r), passwordHash: (r.password_hash as string) ?? null }))
    },
    async setRole(workspaceId: string, id: string, role: Role) {
      if (!UUID.test(id)) return null
      const [row] = await guard(
        () => sql`update users set role = ${role}
          where workspace_id = ${workspaceId} and id = ${id} returning ${sql.unsafe(USER_COLS)}`,
      )
      return row ? toUser(row) : null
    },
    async disableUser(workspaceId: string, id: string, now: Date) {
      if (!UUID.test(id)) return false
      return guard(() =>
        sql.begin(async (tx) => {
          const rows = await tx`update users set disabled_at = ${now}
            where workspace_id = ${workspaceId} and id = ${id} and disabled_at is null returning id`
          await tx`update sessions set revoked_at = ${now} where user_id = ${id} and revoked_at is null`
          return rows.length > 0
        }),
      )
    },
    async setPassword(userId: string, passwordHash: string) {
      await guard(() => sql`update users set password_hash = ${passwordHash} where id = ${userId}`)
    },
    async createUserToken(input: {
      userId: string
      purpose: 'invite' | 'reset'
      tokenHash: string
      expiresAt: Date
    }) {
      await guard(
        () => sql`insert into user_tokens (token_hash, user_id, purpose, expires_at)
          values (${input.tokenHash}, ${input.userId}, ${input.purpose}, ${input.expiresAt})`,
      )
    },
    async userToken(tokenHash: string, now: Date, consume: boolean) {
      const rows = await guard(() =>
        consume
          ? sql`update user_tokens t set used_at = ${now} from users u
              where t.token_hash = ${tokenHash} and t.used_at is null and t.expires_at > ${now}
                and u.id = t.user_id and u.disabled_at is null
              returning t.purpose, ${sql.unsafe(
                USER_COLS.split(', ')
                  .map((c) => `u.${c}`)
                  .join(', '),
              )}`
          : sql`select t.purpose, ${sql.unsafe(
              USER_COLS.split(', ')
                .map((c) => `u.${c}`)
                .join(', '),
            )}
              from user_tokens t join users u on u.id = t.user_id
              where t.token_hash = ${tokenHash} and t.used_at is null and t.expires_at > ${now}
                and u.disabled_at is null`,
      )
      const r = rows[0]
      return r ? { user: toUser(r), purpose: r.purpose as 'invite' | 'reset' } : null
    },
  }
}

function teamSessions(sql: Sql, guard: Guard) {
  return {
    async createSession(input: NewSession) {
      const [row] = await guard(
        () => sql`insert into sessions
          (id, token_hash, user_id, workspace_id, created_at, last_used_at, expires_at, user_agent, ip)
          values (${crypto.randomUUID()}, ${input.tokenHash}, ${input.userId}, ${input.workspaceId},
            ${input.now}, ${input.now}, ${input.expiresAt}, ${input.userAgent?.slice(0, 300) ?? null}, ${input.ip})
          returning *`,
      )
      return toSession(row!)
    },
    async activeSession(tokenHash: string, now: Date, idleMs: number) {
      const idleSince = new Date(now.getTime() - idleMs)
      const [row] = await guard(
        () => sql`select s.*, u.email, u.role, u.password_hash, u.oidc_subject, u.disabled_at, u.locale,
            u.created_at as user_created_at, w.name as workspace_name,
            w.created_at as workspace_created_at
          from sessions s join users u on u.id = s.user_id join workspaces w on w.id = s.workspace_id
          where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > ${now}
            and s.last_used_at > ${idleSince} and u.disabled_at is null`,
      )
      if (!row) return null
      if (now.getTime() - (row.last_used_at as Date).getTime() > TOUCH_MS)
        await guard(
          () => sql`update sessions set last_used_at = ${now} where id = ${row.id as string}`,
        )
      return {
        session: toSession(row),
        user: toUser({ ...row, id: row.user_id, created_at: row.user_created_at }),
        workspace: {
          id: row.workspace_id as string,
          name: row.workspace_name as string,
          createdAt: iso(row.workspace_created_at)!,
        },
      }
    },
    async listSessions(workspaceId: string, userId: string, now: Date, idleMs: number) {
      if (!UUID.test(userId)) return []
      const rows = await guard(
        () => sql`select * from sessions where workspace_id = ${workspaceId}
          and user_id = ${userId} and revoked_at is null and expires_at > ${now}
          and last_used_at > ${new Date(now.getTime() - idleMs)} order by last_used_at desc`,
      )
      return rows.map(toSession)
    },
    async revokeSession(workspaceId: string, id: string, now: Date, userId?: string) {
      if (!UUID.test(id)) return false
      const rows = await guard(
        () => sql`update sessions set revoked_at = ${now}
          where workspace_id = ${workspaceId} and id = ${id} and revoked_at is null
            ${userId ? sql`and user_id = ${userId}` : sql``} returning id`,
      )
      return rows.length > 0
    },
    async revokeUserSessions(workspaceId: string, userId: string, now: Date) {
      if (!UUID.test(userId)) return 0
      const rows = await guard(
        () => sql`update sessions set revoked_at = ${now}
          where workspace_id = ${workspaceId} and user_id = ${userId} and revoked_at is null
          returning id`,
      )
      return rows.length
    },
  }
}

function teamKeys(sql: Sql, guard: Guard) {
  const live = (now: Date) =>
    sql`revoked_at is null and (expires_at is null or expires_at > ${now})`
  return {
    async createApiKey(
      workspaceId: string,
      input: { name: string; prefix: string; keyHash: string; scopes: Scope[]; createdBy: string },
    ) {
      const [row] = await guard(
        () => sql`insert into api_keys (id, workspace_id, name, prefix, key_hash, scopes, created_by)
          values (${crypto.randomUUID()}, ${workspaceId}, ${input.name}, ${input.prefix},
            ${input.keyHash}, ${input.scopes}, ${input.createdBy})
          returning *`,
      )
      return toKey(row!)
    },
    async listApiKeys(workspaceId: string, now: Date) {
      const rows = await guard(
        () => sql`select * from api_keys where workspace_id = ${workspaceId} and ${live(now)}
          order by created_at, id`,
      )
      return rows.map(toKey)
    },
    async getApiKey(workspaceId: string, id: string, now: Date) {
      if (!UUID.test(id)) return null
      const [row] = await guard(
        () => sql`select * from api_keys
          where workspace_id = ${workspaceId} and id = ${id} and ${live(now)}`,
      )
      return row ? toKey(row) : null
    },
    async apiKeyByHash(keyHash: string, now: Date) {
      const [row] = await guard(
        () => sql`select k.*, w.name as workspace_name, w.created_at as workspace_created_at
          from api_keys k join workspaces w on w.id = k.workspace_id
          where k.key_hash = ${keyHash} and k.revoked_at is null
            and (k.expires_at is null or k.expires_at > ${now})`,
      )
      if (!row) return null
      return {
        key: { ...toKey(row), keyHash: row.key_hash as string },
        workspace: {
          id: row.workspace_id as string,
          name: row.workspace_name as string,
          createdAt: iso(row.workspace_created_at)!,
        },
      }
    },
    async revokeApiKey(workspaceId: string, id: string, now: Date) {
      if (!UUID.test(id)) return false
      const rows = await guard(
        () => sql`update api_keys set revoked_at = ${now}
          where workspace_id = ${workspaceId} and id = ${id} and ${live(now)} returning id`,
      )
      return rows.length > 0
    },
    async expireApiKey(workspaceId: string, id: string, at: Date) {
      if (!UUID.test(id)) return false
      const rows = await guard(
        () => sql`update api_keys set expires_at = least(coalesce(expires_at, ${at}), ${at})
          where workspace_id = ${workspaceId} and id = ${id} and revoked_at is null returning id`,
      )
      return rows.length > 0
    },
    async touchApiKey(id: string, at: Date) {
      await guard(() => sql`update api_keys set last_used_at = ${at} where id = ${id}`)
    },
  }
}

function teamAudit(sql: Sql, guard: Guard) {
  const json = (v: unknown) => (v === undefined ? null : sql.json(v as never))
  return {
    async appendAudit(e: Parameters<TeamStore['appendAudit']>[0]) {
      await guard(
        () => sql`insert into audit_entries
          (workspace_id, actor_kind, actor_id, actor_label, ip, action, target, before, after, detail)
          values (${e.workspaceId}, ${e.actor.kind}, ${e.actor.id}, ${e.actor.label}, ${e.ip},
            ${e.action}, ${e.target}, ${json(e.before)}, ${json(e.after)}, ${json(e.detail)})`,
      )
    },
    async listAudit(workspaceId: string, q: AuditQuery) {
      const [after] =
        decodeCursor(q.cursor, 1, (k) => typeof k[0] === 'string' && /^\d{1,18}$/.test(k[0])) ?? []
      const rows = await guard(
        () => sql`select * from audit_entries where workspace_id = ${workspaceId}
          ${after ? sql`and id < ${after as string}` : sql``}
          ${q.action ? sql`and action = ${q.action}` : sql``}
          ${q.actorId ? sql`and actor_id = ${q.actorId}` : sql``}
          ${q.from ? sql`and at >= ${q.from}` : sql``}
          ${q.to ? sql`and at <= ${q.to}` : sql``}
          order by id desc limit ${q.limit + 1}`,
      )
      const entries = rows.slice(0, q.limit).map(toAudit)
      const next = rows.length > q.limit ? encodeCursor([entries[entries.length - 1]!.id]) : null
      return { entries, next }
    },
  }
}

/** The team port on PostgreSQL (or PGlite). */
export function createTeamStore(sql: Sql, guard: Guard): TeamStore {
  return {
    ...teamUsers(sql, guard),
    ...teamSessions(sql, guard),
    ...teamKeys(sql, guard),
    ...teamAudit(sql, guard),
  }
}
