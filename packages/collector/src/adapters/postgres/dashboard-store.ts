import type { Sql } from 'postgres'
import type { DashboardStore, RulesVersion } from '../../dashboard/port.js'
import { hashKey, newWriteKey } from '../../keys.js'
import { iso, type Guard } from './dashboard/shared.js'
import { lifecycleEvents, scoreTimeline } from './dashboard/timeline.js'
import { previewRules } from './dashboard/preview.js'
import { contactCurrencies, setUserLocale } from './dashboard/person.js'
import type { RulesCache } from './rules-cache.js'

/** Events the pickers look at: a bounded walk of the workspace's key, not a scan. */
const SEEN_SAMPLE = 20_000

const toVersion = (r: Record<string, unknown>): RulesVersion => ({
  version: r.version as number,
  createdAt: iso(r.created_at),
  rules: r.rules,
  source: (r.source as string | null) ?? null,
})

const byCount = (m: Map<string, number>, max: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([k]) => k)

/** The dashboard's settings, saved views and rules texts in PostgreSQL (migration 0008). */
export function createDashboardStore(sql: Sql, guard: Guard, rules: RulesCache): DashboardStore {
  return {
    async settings(workspaceId) {
      const [row] = await guard(
        () => sql`select time_zone, write_key from dashboard_settings
          where workspace_id = ${workspaceId}`,
      )
      return { timeZone: row?.time_zone ?? 'UTC', writeKey: row?.write_key ?? null }
    },
    async setTimeZone(workspaceId, timeZone) {
      await guard(
        () => sql`insert into dashboard_settings (workspace_id, time_zone)
          values (${workspaceId}, ${timeZone}) on conflict (workspace_id)
          do update set time_zone = excluded.time_zone, updated_at = now()`,
      )
    },
    async issueWriteKey(workspaceId) {
      const key = newWriteKey()
      const hash = await hashKey(key)
      await guard(() =>
        sql.begin(async (tx) => {
          await tx`update workspaces set write_key_hash = ${hash} where id = ${workspaceId}`
          await tx`insert into dashboard_settings (workspace_id, write_key)
            values (${workspaceId}, ${key}) on conflict (workspace_id)
            do update set write_key = excluded.write_key, updated_at = now()`
        }),
      )
      return key
    },
    async views(workspaceId) {
      const rows = await guard(
        () => sql`select id, name, query from dashboard_views
          where workspace_id = ${workspaceId} order by name limit 100`,
      )
      return rows.map((r) => ({ id: String(r.id), name: r.name, query: r.query }))
    },
    async saveView(workspaceId, name, query) {
      const [r] = await guard(
        () => sql`insert into dashboard_views (workspace_id, name, query)
          values (${workspaceId}, ${name}, ${query}) on conflict (workspace_id, name)
          do update set query = excluded.query returning id, name, query`,
      )
      return { id: String(r!.id), name: r!.name, query: r!.query }
    },
    async deleteView(workspaceId, id) {
      if (!/^\d{1,18}$/.test(id)) return
      await guard(
        () => sql`delete from dashboard_views where workspace_id = ${workspaceId} and id = ${id}`,
      )
    },
    async rulesVersions(workspaceId, limit = 50) {
      const rows = await guard(
        () => sql`select r.version, r.created_at, r.rules, s.source from scoring_rules r
          left join scoring_rules_source s using (workspace_id, version)
          where r.workspace_id = ${workspaceId} order by r.version desc limit ${limit}`,
      )
      return rows.map(toVersion)
    },
    async rulesVersion(workspaceId, version) {
      const [r] = await guard(
        () => sql`select r.version, r.created_at, r.rules, s.source from scoring_rules r
          left join scoring_rules_source s using (workspace_id, version)
          where r.workspace_id = ${workspaceId} and r.version = ${version}`,
      )
      return r ? toVersion(r) : null
    },
    async saveRulesSource(workspaceId, version, source) {
      await guard(
        () => sql`insert into scoring_rules_source (workspace_id, version, source)
          values (${workspaceId}, ${version}, ${source}) on conflict do nothing`,
      )
    },
    async firstEvent(workspaceId) {
      const [r] = await guard(
        () => sql`select type, event, received_at from events
          where workspace_id = ${workspaceId} limit 1`,
      )
      return r ? { type: r.type, event: r.event ?? null, receivedAt: iso(r.received_at) } : null
    },
    scoreTimeline: (workspaceId, contactId, now) =>
      scoreTimeline(sql, guard, rules, workspaceId, contactId, now),
    previewRules: (workspaceId, doc, now) => previewRules(sql, guard, workspaceId, doc, now),
    lifecycleEvents: (workspaceId, contactId) =>
      lifecycleEvents(sql, guard, workspaceId, contactId),
    contactCurrencies: (workspaceId, ids) => contactCurrencies(sql, guard, workspaceId, ids),
    setUserLocale: (workspaceId, userId, locale) =>
      setUserLocale(sql, guard, workspaceId, userId, locale),
    async seen(workspaceId) {
      const [events, traits] = await guard(() =>
        Promise.all([
          sql`select type, event, coalesce(payload #>> '{properties,path}',
              payload #>> '{context,page,path}') as path
            from events where workspace_id = ${workspaceId} limit ${SEEN_SAMPLE}`,
          sql`select distinct jsonb_object_keys(traits) as k from (select traits from contacts
            where workspace_id = ${workspaceId} and merged_into is null limit 2000) c`,
        ]),
      )
      const names = new Map<string, number>()
      const paths = new Map<string, number>()
      for (const e of events) {
        if (e.type === 'track' && e.event) names.set(e.event, (names.get(e.event) ?? 0) + 1)
        if (e.type === 'page' && typeof e.path === 'string' && e.path.length <= 300)
          paths.set(e.path, (paths.get(e.path) ?? 0) + 1)
      }
      return {
        events: byCount(names, 200),
        paths: byCount(paths, 200),
        traits: traits
          .map((r) => r.k as string)
          .sort()
          .slice(0, 300),
        sampled: events.length,
      }
    },
  }
}
