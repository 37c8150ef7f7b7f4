import type { Sql } from 'postgres'
import type { Workspace } from '../../../ports.js'
import { iso, type Guard } from './shared.js'

/** The workspace and the key its dashboard sessions are signed with (its secret key's hash). */
export async function dashboardSession(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
): Promise<{ workspace: Workspace; signingKey: string } | null> {
  const [row] = await guard(
    () => sql`select id, name, created_at, secret_key_hash from workspaces
      where id = ${workspaceId}`,
  )
  if (!row) return null
  return {
    workspace: { id: row.id, name: row.name, createdAt: iso(row.created_at) },
    signingKey: row.secret_key_hash as string,
  }
}
