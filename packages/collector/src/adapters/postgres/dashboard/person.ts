import type { Sql } from 'postgres'
import { LIFECYCLE } from './timeline.js'
import { UUID, type Guard } from './shared.js'

/**
 * The currency of each contact's latest deal or order that names one (what the profile shows
 * money in when the workspace has no reporting currency), for a page of the contacts list.
 */
export async function contactCurrencies(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const valid = ids.filter((id) => UUID.test(id)).slice(0, 500)
  if (!valid.length) return new Map()
  const rows = await guard(
    () => sql`select c.id, (select e.payload #>> '{properties,currency}' from events e
        where e.contact_id = c.id and e.workspace_id = ${workspaceId}
          and e.event = any(${LIFECYCLE})
          and jsonb_typeof(e.payload #> '{properties,currency}') = 'string'
        order by e.timestamp desc limit 1) as currency
      from unnest(${valid}::uuid[]) as c(id)`,
  )
  const out = new Map<string, string>()
  for (const r of rows) if (typeof r.currency === 'string') out.set(r.id as string, r.currency)
  return out
}

/** Keeps the dashboard language a person chose (null: follow the browser again). */
export async function setUserLocale(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  userId: string,
  locale: string | null,
): Promise<void> {
  if (!UUID.test(userId)) return
  await guard(
    () => sql`update users set locale = ${locale}
      where id = ${userId} and workspace_id = ${workspaceId}`,
  )
}
