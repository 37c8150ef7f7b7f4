import type { Sql } from 'postgres'
import {
  qualityAccumulator,
  retentionOverTime,
  satisfactionKpis,
  satisfactionOverTime,
  type KpiEvent,
  type QualityReport,
} from '@lodestone/lifecycle'
import type { ContactAlert, LifecycleStore } from '../../lifecycle/port.js'
import { loadLifecycleSettings, saveLifecycleSettings } from './lifecycle-settings.js'
import type { Tx } from './contact-rows.js'
import type { RulesCache } from './rules-cache.js'
import { exportedPage, iso, type Guard } from './rows.js'

/** A `contact_alerts` row as the API shows it. */
export function alertFromRow(r: Record<string, unknown>): ContactAlert {
  return {
    id: String(r.id),
    contactId: r.contact_id as string,
    ruleId: r.rule_id as string,
    kind: r.kind as ContactAlert['kind'],
    name: r.name as string | null,
    value: r.value as number | string,
    message: r.message as string,
    at: iso(r.at),
  }
}
const PAGE = 5000

/**
 * The data-quality report over every live contact, read a page at a time and added to the
 * report as each page arrives: at 1M contacts the whole computation on one array held the
 * event loop for seconds (ingest waited behind a dashboard visit) and every contact's traits
 * in memory; now each page's share runs between two reads, and the duplicate search after
 * the last one gives the event loop a turn every 20 ms.
 */
export async function loadQualityReport(
  sql: Sql | Tx,
  workspaceId: string,
): Promise<QualityReport> {
  const report = qualityAccumulator()
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const rows = await sql`select id, traits from contacts where workspace_id = ${workspaceId}
      and merged_into is null and id > ${after} order by id limit ${PAGE}`
    report.add(rows.map((r) => ({ id: r.id as string, traits: r.traits ?? {} })))
    if (rows.length < PAGE) return report.finishInSlices()
    after = rows[rows.length - 1]!.id as string
  }
}

/** Lifecycle settings, alerts, data quality, KPIs and the contact export, on PostgreSQL. */
export function createLifecycleReads(sql: Sql, guard: Guard, rules: RulesCache): LifecycleStore {
  return {
    getLifecycleSettings: (workspaceId) => guard(() => loadLifecycleSettings(sql, workspaceId)),

    putLifecycleSettings: (workspaceId, part) =>
      // LifecycleErrors pass through guard untouched; the route maps them to 400.
      guard(() => sql.begin((tx) => saveLifecycleSettings(tx, workspaceId, part))),

    async contactAlerts(workspaceId, contactId, limit) {
      const rows = await guard(
        () => sql`select id, contact_id, rule_id, kind, name, value, message, at
          from contact_alerts where workspace_id = ${workspaceId} and contact_id = ${contactId}
          order by id desc limit ${limit}`,
      )
      return rows.map(alertFromRow)
    },

    async qualityReport(workspaceId) {
      return guard(() => loadQualityReport(sql, workspaceId))
    },

    async kpis(workspaceId, { from, to, period }) {
      const rows = await guard(
        () => sql`select contact_id, event, timestamp, payload->'properties' as properties
          from events where workspace_id = ${workspaceId}
          and event in ('Survey Responded', 'Order Completed')
          and timestamp >= ${from} and timestamp <= ${to}`,
      )
      const events: KpiEvent[] = rows.map((r) => ({
        contactId: r.contact_id as string,
        event: r.event as string,
        timestamp: r.timestamp as Date,
        properties: r.properties as Record<string, unknown> | null,
      }))
      const range = { from, to, period }
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        period,
        overall: satisfactionKpis(events, range),
        satisfaction: satisfactionOverTime(events, range),
        retention: retentionOverTime(events, range),
      }
    },

    async contactTraitKeys(workspaceId) {
      const rows = await guard(
        () => sql`select distinct k from contacts, jsonb_object_keys(traits) k
          where workspace_id = ${workspaceId} and merged_into is null order by k limit 2000`,
      )
      return rows.map((r) => r.k as string)
    },

    /** Scores as of `now` (decay applied), like every other read (score-order.ts). */
    async exportContacts(workspaceId, { limit, after, now = new Date() }) {
      const start = after ?? '00000000-0000-0000-0000-000000000000'
      const { scorer } = await guard(() => rules.current(sql, workspaceId))
      const rows = await guard(
        () => sql`select id, first_seen, last_seen, traits, score_fit, score_key
          from contacts where workspace_id = ${workspaceId} and merged_into is null
          and id > ${start} order by id limit ${limit + 1}`,
      )
      return exportedPage(rows, limit, scorer, now.getTime())
    },
  }
}
