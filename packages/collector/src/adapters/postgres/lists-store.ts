import type { Sql } from 'postgres'
import { CollectorError } from '../../errors.js'
import type { Audience, ListsPort, MemberRefs } from '../../lists/port.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { exportedPage, guard, iso, UUID } from './rows.js'
import { createRulesCache } from './rules-cache.js'
import { reevaluate } from './time-sweep.js'
import { createWebhookStore } from './webhooks.js'

const view = (r: Record<string, unknown>) => ({
  id: r.id as string,
  name: r.name as string,
  members: Number(r.members ?? 0),
  createdAt: iso(r.created_at),
})

/**
 * Static lists on PostgreSQL (docs/segments.md): changing a list's members re-evaluates those
 * contacts' segments in the same transaction, so a segment with a `list` condition follows at
 * once and fires Segment Entered / Exited exactly as an event would. Also the members of a
 * segment or list, a page at a time by contact id, for the streamed exports.
 */
export function createListsStore(sql: Sql): ListsPort {
  const rules = createRulesCache()
  const { enqueueWebhookEvents: enqueue } = createWebhookStore(sql, guard)

  /** The live contacts the refs name (merged-away ids and e-mails answer with the survivor). */
  async function resolve(q: Sql, workspaceId: string, refs: MemberRefs) {
    const found = new Map<string, string>()
    if ('contactIds' in refs) {
      const ids = refs.contactIds.filter((id) => UUID.test(id))
      const rows = ids.length
        ? await q`select id::text as ref, coalesce(merged_into, id) as contact_id from contacts
            where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`
        : []
      for (const r of rows) found.set((r.ref as string).toLowerCase(), r.contact_id as string)
      return { found, notFound: refs.contactIds.filter((id) => !found.has(id.toLowerCase())) }
    }
    const emails = refs.emails.map((e) => e.trim().toLowerCase())
    const rows = await q`select i.value as ref, coalesce(c.merged_into, c.id) as contact_id
      from identities i join contacts c on c.id = i.contact_id
      where i.workspace_id = ${workspaceId} and i.kind = 'email' and i.value = any(${emails}::text[])`
    for (const r of rows) found.set(r.ref as string, r.contact_id as string)
    return { found, notFound: refs.emails.filter((_, i) => !found.has(emails[i]!)) }
  }

  async function members(
    audience: Audience,
    opts: { limit: number; after?: string | null; now: Date; workspaceId: string },
  ) {
    const { scorer } = await rules.current(sql, opts.workspaceId)
    const after = opts.after ?? '00000000-0000-0000-0000-000000000000'
    const rows =
      audience.kind === 'list'
        ? await sql`select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit, c.score_key
            from list_members m join contacts c on c.id = m.contact_id
            where m.list_id = ${audience.id} and m.workspace_id = ${opts.workspaceId}
              and c.merged_into is null and m.contact_id > ${after}::uuid
            order by m.contact_id limit ${opts.limit + 1}`
        : await sql`select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit, c.score_key
            from segment_members m join contacts c on c.id = m.contact_id
            where m.segment_id = ${audience.id} and m.member and m.workspace_id = ${opts.workspaceId}
              and c.merged_into is null and m.contact_id > ${after}::uuid
            order by m.contact_id limit ${opts.limit + 1}`
    return exportedPage(rows, opts.limit, scorer, opts.now.getTime())
  }

  const getList = (workspaceId: string, id: string) =>
    guard(async () => {
      const [row] = await sql`select l.*, (select count(*)::int from list_members m
          where m.list_id = l.id) as members
        from lists l where l.workspace_id = ${workspaceId} and l.id = ${id}`
      return row ? view(row) : null
    })

  return {
    async createList(workspaceId, name) {
      const id = `lst_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
      const [row] = await guard(
        () => sql`insert into lists (id, workspace_id, name) values (${id}, ${workspaceId}, ${name})
          returning *`,
      )
      return view(row!)
    },

    async listLists(workspaceId) {
      const rows = await guard(
        () => sql`select l.*, (select count(*)::int from list_members m where m.list_id = l.id)
            as members from lists l where l.workspace_id = ${workspaceId} order by l.created_at, l.id`,
      )
      return rows.map(view)
    },

    getList,

    async deleteList(workspaceId, id) {
      return guard(async () => {
        const used = await sql`select id from segments where workspace_id = ${workspaceId}
          and conditions::text like ${`%"list": "${id}"%`}`
        if (used.length) throw new CollectorError('conflict', 'A segment refers to this list')
        const rows =
          await sql`delete from lists where workspace_id = ${workspaceId} and id = ${id} returning id`
        return rows.length > 0
      })
    },

    async changeMembers(workspaceId, id, op, refs, now) {
      return guard(async () => {
        const [list] =
          await sql`select id from lists where workspace_id = ${workspaceId} and id = ${id}`
        if (!list) return null
        return sql.begin(async (tx) => {
          // Resolved inside the transaction, just before the rows change.
          const { found, notFound } = await resolve(tx as never, workspaceId, refs)
          const ids = [...new Set(found.values())].sort()
          const changed =
            ids.length === 0
              ? []
              : op === 'add'
                ? await tx`insert into list_members (list_id, contact_id, workspace_id, added_at)
                  select ${id}, v, ${workspaceId}, ${now} from unnest(${ids}::uuid[]) v
                  on conflict do nothing returning contact_id`
                : await tx`delete from list_members where list_id = ${id}
                  and contact_id = any(${ids}::uuid[]) returning contact_id`
          const touched = changed.map((r) => r.contact_id as string)
          const outcome = touched.length
            ? await reevaluate(tx as never, rules, enqueue, workspaceId, touched, now)
            : { workspaceId, changes: [], transitions: [], alerts: [] }
          return {
            changed: touched.length,
            unchanged: ids.length - touched.length,
            notFound,
            outcome,
          }
        })
      })
    },

    async listMembers(workspaceId, id, opts) {
      const after = decodeCursor(opts.cursor, 1, ([k]) => typeof k === 'string' && UUID.test(k))
      return guard(async () => {
        if (!(await getList(workspaceId, id))) return null
        const page = await members(
          { kind: 'list', id },
          {
            limit: opts.limit,
            after: after?.[0] as string | undefined,
            now: opts.now,
            workspaceId,
          },
        )
        return {
          contacts: page.contacts as unknown as Record<string, unknown>[],
          next: page.next ? encodeCursor([page.next]) : null,
        }
      })
    },

    async audienceExists(workspaceId, audience) {
      const rows = await guard(() =>
        audience.kind === 'list'
          ? sql`select 1 from lists where workspace_id = ${workspaceId} and id = ${audience.id}`
          : sql`select 1 from segments where workspace_id = ${workspaceId} and id = ${audience.id}`,
      )
      return rows.length > 0
    },

    exportSource(audience, now) {
      return {
        async contactTraitKeys(workspaceId) {
          const rows = await guard(
            () => sql`select distinct k from contacts, jsonb_object_keys(traits) k
              where workspace_id = ${workspaceId} and merged_into is null order by k limit 2000`,
          )
          return rows.map((r) => r.k as string)
        },
        exportContacts: (workspaceId, { limit, after }) =>
          guard(() => members(audience, { limit, after, now, workspaceId })),
      }
    },
  }
}
