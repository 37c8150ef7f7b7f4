import type { Sql } from 'postgres'
import type { Tx } from './contact-rows.js'
import type { WebhookEvent } from '../../webhooks/types.js'
import { observedLifespanYears } from '@lodestone/lifecycle'
import { loadLifecycleSettings, saveLifecycleSettings } from './lifecycle-settings.js'
import { alertFromRow, loadQualityReport } from './lifecycle-reads.js'
import { iso, type Guard } from './rows.js'
import { reasonsReport, type ReasonEvent } from '../../reports/reasons-report.js'
import { campaignReport, type CampaignInputs, type CampaignRef } from '../../reports/campaigns.js'
import type { AdCost } from '../../reports/costs.js'
import {
  DEFAULT_EVERY_DAYS,
  measuresOf,
  worsenedMeasures,
  type QualityMeasures,
  type QualitySchedule,
} from '../../reports/quality-scan.js'
import type { QualityScan, ReportsStore, WorkspaceAlert } from '../../reports/port.js'

type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

const DAY = 86_400_000
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))

/** An `ad_costs` row as the reports read it. */
const adCost = (r: Record<string, unknown>): AdCost => ({
  campaign: r.campaign as string,
  day: day(r.day),
  cost: Number(r.cost),
  currency: (r.currency as string | null) ?? null,
  impressions: Number(r.impressions),
  clicks: Number(r.clicks),
})

const scanFromRow = (r: Record<string, unknown>): QualityScan => ({
  id: String(r.id),
  at: iso(r.at),
  trigger: r.trigger as QualityScan['trigger'],
  measures: r.measures as QualityMeasures,
  worsened: (r.worsened as QualityScan['worsened']) ?? [],
})

const workspaceAlert = (r: Record<string, unknown>): WorkspaceAlert => ({
  ...alertFromRow(r),
  contactId: (r.contact_id as string | null) ?? null,
  acknowledgedAt: r.acknowledged_at ? iso(r.acknowledged_at) : null,
})

const scheduleFromRow = (r: Record<string, unknown> | undefined, now: Date): QualitySchedule => ({
  everyDays: (r?.every_days as number | undefined) ?? DEFAULT_EVERY_DAYS,
  enabled: (r?.enabled as boolean | undefined) ?? true,
  thresholds: (r?.thresholds as QualitySchedule['thresholds']) ?? {},
  nextRunAt: r ? iso(r.next_run_at) : now.toISOString(),
})

/** Reasons and campaign reports, ad costs, scheduled quality scans and alerts, on PostgreSQL. */
export function createReportsStore(sql: Sql, guard: Guard, enqueue: Enqueue): ReportsStore {
  /** One scan inside `tx`: report, compare with the previous scan, keep it, alert if worse. */
  async function scan(
    tx: Tx,
    workspaceId: string,
    now: Date,
    trigger: QualityScan['trigger'],
    thresholds: QualitySchedule['thresholds'],
  ): Promise<QualityScan> {
    const measures = measuresOf(await loadQualityReport(tx, workspaceId))
    const [prev] = await tx`select measures from quality_scans where workspace_id = ${workspaceId}
      order by at desc, id desc limit 1`
    const worse = worsenedMeasures(
      (prev?.measures as QualityMeasures) ?? null,
      measures,
      thresholds,
    )
    const [row] = await tx`insert into quality_scans (workspace_id, at, trigger, measures, worsened)
      values (${workspaceId}, ${now}, ${trigger}, ${tx.json(measures as never)},
        ${tx.json(worse as never)}) returning *`
    const at = now.toISOString()
    const events: WebhookEvent[] = []
    for (const w of worse) {
      const message =
        w.measure === 'complete'
          ? `Complete contacts fell from ${w.before} % to ${w.after} % (threshold ${w.thresholdPoints} points)`
          : `${w.measure} rose from ${w.before} % to ${w.after} % of contacts (threshold ${w.thresholdPoints} points)`
      const value = { measure: w.measure, before: w.before, after: w.after }
      const [a] = await tx`insert into contact_alerts
        (workspace_id, contact_id, rule_id, kind, name, value, message, at)
        values (${workspaceId}, null, ${`quality-${w.measure}`}, 'quality_worsened',
          'Data quality worsened', ${tx.json(value)}, ${message}, ${now}) returning id`
      events.push({
        type: 'alert.fired',
        contactId: null,
        at,
        data: {
          id: String(a!.id),
          ruleId: `quality-${w.measure}`,
          kind: 'quality_worsened',
          name: 'Data quality worsened',
          value,
          message,
        },
      })
    }
    await enqueue(tx, workspaceId, events)
    return scanFromRow(row!)
  }

  /** The observed customer lifetime from first and last orders, saved in the traits config. */
  async function observeLifespan(tx: Tx, workspaceId: string, now: Date) {
    const rows = await tx`select contact_id, min(timestamp) as first, max(timestamp) as last
      from events where workspace_id = ${workspaceId} and event = 'Order Completed'
      and contact_id is not null group by contact_id`
    const result = observedLifespanYears(
      rows.map((r) => ({ first: (r.first as Date).getTime(), last: (r.last as Date).getTime() })),
      now.getTime(),
    )
    if (result.years)
      await saveLifecycleSettings(tx, workspaceId, {
        traitsConfig: {
          observedLifespanYears: result.years,
          observedLifespanAt: now.toISOString(),
        },
      })
    return result
  }

  async function loadScheduleRow(tx: Tx, workspaceId: string) {
    const [row] = await tx`select * from quality_schedules where workspace_id = ${workspaceId}`
    return row
  }

  return {
    async reasonsReport(workspaceId, range) {
      const settings = await guard(() => loadLifecycleSettings(sql, workspaceId))
      const rows = await guard(
        () => sql`select contact_id, event, timestamp, payload->'properties' as properties
          from events where workspace_id = ${workspaceId}
          and event in ('Deal Won', 'Deal Lost', 'Survey Responded')
          and timestamp >= ${range.from} and timestamp <= ${range.to}`,
      )
      const events: ReasonEvent[] = rows.map((r) => ({
        contactId: r.contact_id as string | null,
        event: r.event as string,
        timestamp: r.timestamp as Date,
        properties: r.properties as Record<string, unknown> | null,
      }))
      return reasonsReport(events, settings.reasons, range, settings.traitsConfig)
    },

    async campaignReport(workspaceId, opts) {
      const { from, to } = opts
      const settings = await guard(() => loadLifecycleSettings(sql, workspaceId))
      const conv = opts.conversion
      const [touches, contacts, reached, sales, conversions, costs] = await guard(() =>
        Promise.all([
          sql`select contact_id, timestamp, payload->'context'->'campaign' as campaign
            from events where workspace_id = ${workspaceId} and contact_id is not null
            and timestamp <= ${to} and payload->'context'->'campaign' is not null`,
          sql`select id, first_seen, first_touch->'campaign' as campaign from contacts
            where workspace_id = ${workspaceId} and merged_into is null and first_seen <= ${to}`,
          sql`select contact_id, grade, min(at) as at from score_history
            where workspace_id = ${workspaceId} and at <= ${to}
            group by contact_id, grade having min(at) >= ${from}`,
          sql`select contact_id, event, timestamp, payload->'properties' as properties
            from events where workspace_id = ${workspaceId} and contact_id is not null
            and event in ('Deal Won', 'Order Completed')
            and timestamp >= ${from} and timestamp <= ${to}`,
          conv?.kind === 'event'
            ? sql`select contact_id, timestamp from events where workspace_id = ${workspaceId}
                and contact_id is not null and event = ${conv.event}
                and timestamp >= ${from} and timestamp <= ${to}`
            : conv?.kind === 'segment'
              ? sql`select contact_id, timestamp from events where workspace_id = ${workspaceId}
                  and contact_id is not null and event = 'Segment Entered'
                  and payload->'properties'->>'segmentId' = ${conv.segmentId}
                  and timestamp >= ${from} and timestamp <= ${to}`
              : Promise.resolve([]),
          sql`select campaign, day, cost, currency, impressions, clicks from ad_costs
            where workspace_id = ${workspaceId} and day >= ${from.toISOString().slice(0, 10)}
            and day <= ${to.toISOString().slice(0, 10)}`,
        ]),
      )
      const ref = (v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? (v as CampaignRef) : null
      const input: CampaignInputs = {
        touches: touches.flatMap((r) => {
          const campaign = ref(r.campaign)
          return campaign
            ? [{ contactId: r.contact_id as string, at: r.timestamp as Date, campaign }]
            : []
        }),
        contacts: contacts.map((r) => ({
          id: r.id as string,
          firstSeen: r.first_seen as Date,
          firstCampaign: ref(r.campaign),
        })),
        gradesReached: reached.map((r) => ({
          contactId: r.contact_id as string,
          grade: r.grade as string,
          at: r.at as Date,
        })),
        sales: sales.map((r) => ({
          contactId: r.contact_id as string,
          event: r.event as string,
          at: r.timestamp as Date,
          properties: (r.properties as Record<string, unknown>) ?? {},
        })),
        conversionEvents: (conversions as Record<string, unknown>[]).map((r) => ({
          contactId: r.contact_id as string,
          at: r.timestamp as Date,
        })),
        costs: costs.map(adCost),
      }
      return campaignReport(input, { ...opts, money: settings.traitsConfig })
    },

    async importAdCosts(workspaceId, costs) {
      if (costs.length === 0) return { imported: 0 }
      const rows = costs.map((c) => ({ ...c }))
      await guard(
        () => sql`insert into ad_costs (workspace_id, campaign, day, cost, currency, impressions, clicks)
          select ${workspaceId}, v.campaign, v.day, v.cost, v.currency, v.impressions, v.clicks
          from jsonb_to_recordset(${sql.json(rows as never)}) as v(campaign text, day date,
            cost double precision, currency text, impressions bigint, clicks bigint)
          on conflict (workspace_id, campaign, day) do update set cost = excluded.cost,
            currency = excluded.currency, impressions = excluded.impressions,
            clicks = excluded.clicks, updated_at = now()`,
      )
      return { imported: costs.length }
    },

    async listAdCosts(workspaceId, range) {
      const rows = await guard(
        () => sql`select campaign, day, cost, currency, impressions, clicks from ad_costs
          where workspace_id = ${workspaceId} and day >= ${range.from} and day <= ${range.to}
          order by day, campaign limit 10000`,
      )
      return rows.map(adCost)
    },

    async getQualitySchedule(workspaceId, now) {
      return scheduleFromRow(await guard(() => loadScheduleRow(sql, workspaceId)), now)
    },

    async patchQualitySchedule(workspaceId, patch, now) {
      return guard(() =>
        sql.begin(async (tx) => {
          const current = scheduleFromRow(await loadScheduleRow(tx, workspaceId), now)
          const next = { ...current, ...patch }
          // A new interval counts from the last scan (or now, when there is none).
          const [last] = await tx`select max(at) as at from quality_scans
            where workspace_id = ${workspaceId}`
          const base = last?.at ? new Date(last.at as Date) : now
          const nextRun =
            patch.everyDays !== undefined
              ? new Date(Math.max(base.getTime() + next.everyDays * DAY, now.getTime()))
              : new Date(current.nextRunAt ?? now.toISOString())
          await tx`insert into quality_schedules
            (workspace_id, every_days, thresholds, enabled, next_run_at)
            values (${workspaceId}, ${next.everyDays}, ${tx.json(next.thresholds as never)},
              ${next.enabled}, ${nextRun})
            on conflict (workspace_id) do update set every_days = excluded.every_days,
              thresholds = excluded.thresholds, enabled = excluded.enabled,
              next_run_at = excluded.next_run_at, updated_at = now()`
          return scheduleFromRow(await loadScheduleRow(tx, workspaceId), now)
        }),
      )
    },

    async runDueQualityScans(now) {
      // Workspaces without a schedule get the default one, due now.
      await guard(
        () => sql`insert into quality_schedules (workspace_id, next_run_at)
          select id, ${now} from workspaces on conflict (workspace_id) do nothing`,
      )
      const done: { workspaceId: string; scan: QualityScan }[] = []
      for (;;) {
        // Claim one due schedule and scan it in the same transaction: the row stays locked
        // until the scan is kept, and the claim moves next_run_at a period on, so another
        // process skips it now and finds it not due afterwards.
        const result = await guard(() =>
          sql.begin(async (tx) => {
            const [claimed] = await tx`update quality_schedules s
              set next_run_at = ${now}::timestamptz + make_interval(days => s.every_days)
              where s.workspace_id = (select workspace_id from quality_schedules
                where enabled and next_run_at <= ${now} order by next_run_at
                limit 1 for update skip locked)
              returning s.workspace_id, s.thresholds`
            if (!claimed) return null
            const workspaceId = claimed.workspace_id as string
            const thresholds = (claimed.thresholds as QualitySchedule['thresholds']) ?? {}
            const settings = await loadLifecycleSettings(tx, workspaceId)
            if (settings.traitsConfig.lifespanMethod === 'observed')
              await observeLifespan(tx, workspaceId, now)
            return { workspaceId, scan: await scan(tx, workspaceId, now, 'schedule', thresholds) }
          }),
        )
        if (!result) return done
        done.push(result)
      }
    },

    async runQualityScan(workspaceId, now) {
      return guard(() =>
        sql.begin(async (tx) => {
          const schedule = scheduleFromRow(await loadScheduleRow(tx, workspaceId), now)
          return scan(tx, workspaceId, now, 'manual', schedule.thresholds)
        }),
      )
    },

    async qualityHistory(workspaceId, limit) {
      const rows = await guard(
        () => sql`select * from quality_scans where workspace_id = ${workspaceId}
          order by at desc, id desc limit ${limit}`,
      )
      return rows.map(scanFromRow).reverse()
    },

    async listAlerts(workspaceId, opts) {
      const kind = opts.kind ?? null
      const contact = opts.contactId ?? null
      const open = opts.open ?? null
      const rows = await guard(
        () => sql`select id, contact_id, rule_id, kind, name, value, message, at, acknowledged_at
          from contact_alerts where workspace_id = ${workspaceId}
          and (${kind}::text is null or kind = ${kind})
          and (${contact}::uuid is null or contact_id = ${contact}::uuid)
          and (${open}::boolean is null or (acknowledged_at is null) = ${open}::boolean)
          order by id desc limit ${opts.limit}`,
      )
      return rows.map(workspaceAlert)
    },

    async refreshObservedLifespan(workspaceId, now) {
      return guard(() => sql.begin((tx) => observeLifespan(tx, workspaceId, now)))
    },

    async acknowledgeAlert(workspaceId, id, now) {
      if (!/^\d{1,18}$/.test(id)) return false
      const rows = await guard(
        () => sql`update contact_alerts set acknowledged_at = coalesce(acknowledged_at, ${now})
          where workspace_id = ${workspaceId} and id = ${id} returning id`,
      )
      return rows.length > 0
    },
  }
}
