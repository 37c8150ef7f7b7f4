import { OWN_SEGMENT_EVENT } from './own-events.js'
import type { Sql } from 'postgres'
import { toView } from '@lodestone/scoring'
import { CollectorError } from '../../errors.js'
import { compileSegment, remember, type Facts } from '../../segments/compile.js'
import { conditionSchema, referencedSegments } from '../../segments/conditions.js'
import { estimateFromSample } from '../../segments/estimate.js'
import type { AccountSort, AudienceReads } from '../../segments/dashboard-port.js'
import { guard } from './rows.js'
import { createRulesCache } from './rules-cache.js'
import { engagementSql, halfLifeOf, scoreOfRow } from './score-order.js'

const BATCH = 1000
/**
 * Contacts a preview evaluates at most; past that, the first PREVIEW_SAMPLE in id order, an even
 * sample as contact ids are random (as the rules preview does, dashboard/preview.ts).
 */
export const PREVIEW_SAMPLE = 20_000

interface PreviewRow {
  id: string
  traits: Record<string, unknown>
  score_fit: number
  score_key: number
  last_seen: Date
}

const group = <T extends { contact_id: string }>(rows: readonly T[]) => {
  const out = new Map<string, T[]>()
  for (const r of rows) out.set(r.contact_id, [...(out.get(r.contact_id) ?? []), r])
  return out
}

/** Checks conditions as saving does: 400 `invalid_segment` with one issue per problem. */
function parseConditions(conditions: unknown) {
  const parsed = conditionSchema.safeParse(conditions)
  if (parsed.success) return parsed.data
  throw new CollectorError('invalid_segment', 'The segment is not valid', {
    issues: parsed.error.issues.map((i) => ({
      path: ['conditions', ...i.path].join('.'),
      message: i.message,
    })),
  })
}

/**
 * The dashboard's read-only segment preview and account ranking (segments/dashboard-port.ts).
 * The preview reads the same facts back-fill reads (adapters/postgres/segment-backfill.ts and
 * segments-eval.ts): traits, the score as of now, subscriptions, lists, accounts, the stored
 * membership of other segments and the events inside the count windows, a thousand contacts a
 * query in id order, without locking or writing anything.
 */
export function createAudienceReads(
  sql: Sql,
  opts: { previewSample?: number } = {},
): AudienceReads {
  const sample = opts.previewSample ?? PREVIEW_SAMPLE
  const rules = createRulesCache()

  async function previewSegment(workspaceId: string, conditions: unknown, now: Date) {
    const parsed = parseConditions(conditions)
    return guard(async () => {
      const refs = [...referencedSegments(parsed)]
      if (refs.length) {
        const known = await sql`select id from segments where workspace_id = ${workspaceId}
          and id = any(${refs}::text[])`
        if (known.length !== refs.length)
          throw new CollectorError('invalid_segment', 'A referenced segment does not exist', {
            issues: [{ path: 'conditions', message: 'Unknown segment id' }],
          })
      }
      const seg = compileSegment('preview', 0, parsed)
      const { scorer } = await rules.current(sql, workspaceId)
      const nowMs = now.getTime()
      const halfLifeMs = halfLifeOf(scorer)
      const longest = Math.max(0, ...seg.windows.map((w) => w.windowMs))
      let after: string | null = null
      let members = 0
      let examined = 0
      const counted = sql`select count(*)::int as n from contacts
        where workspace_id = ${workspaceId} and merged_into is null`
      while (examined < sample) {
        const rows: PreviewRow[] =
          await sql`select id, traits, score_fit, score_key, last_seen from contacts
          where workspace_id = ${workspaceId} and merged_into is null
            ${after ? sql`and id > ${after}::uuid` : sql``}
          order by id limit ${Math.min(BATCH, sample - examined)}`
        if (rows.length === 0) break
        const ids: string[] = rows.map((r) => r.id as string)
        const [subs, lists, inSegments, accounts, events] = await Promise.all([
          sql`select contact_id, topic from subscriptions
            where contact_id = any(${ids}::uuid[]) and status = 'subscribed'`,
          sql`select contact_id, list_id from list_members where contact_id = any(${ids}::uuid[])`,
          refs.length
            ? sql`select contact_id, segment_id from segment_members
                where contact_id = any(${ids}::uuid[]) and member`
            : [],
          sql`select m.contact_id, a.group_id, a.traits, a.score_fit, a.score_key
            from account_members m join accounts a on a.id = m.account_id
            where m.contact_id = any(${ids}::uuid[])`,
          longest > 0
            ? sql`select contact_id, timestamp, payload from events
                where contact_id = any(${ids}::uuid[])
                  and timestamp > ${new Date(nowMs - longest)} and timestamp <= ${now}
                  and not ${sql.unsafe(OWN_SEGMENT_EVENT)} order by timestamp`
            : [],
        ])
        const by = {
          subs: group(subs as never as { contact_id: string; topic: string }[]),
          lists: group(lists as never as { contact_id: string; list_id: string }[]),
          segments: group(inSegments as never as { contact_id: string; segment_id: string }[]),
          accounts: group(accounts as never as { contact_id: string }[]),
          events: group(events as never as { contact_id: string }[]),
        }
        for (const r of rows) {
          const windows: Record<string, number[]> = {}
          for (const e of (by.events.get(r.id) ?? []) as never as Record<string, unknown>[]) {
            const at = (e.timestamp as Date).toISOString()
            const view = toView({ ...(e.payload as object), timestamp: at } as never)
            for (const spec of seg.windows)
              if (spec.test(view))
                windows[spec.key] = remember(windows[spec.key], view.at, spec.keep)
          }
          const score = scoreOfRow(r as never, scorer, nowMs)
          const facts: Facts = {
            nowMs,
            traits: r.traits as Record<string, unknown>,
            score,
            key: { fit: r.score_fit, key: r.score_key, halfLifeMs },
            subscriptions: new Set((by.subs.get(r.id) ?? []).map((s) => s.topic)),
            accounts: ((by.accounts.get(r.id) ?? []) as never as Record<string, unknown>[]).map(
              (a) => {
                const s = scoreOfRow(a as never, scorer, nowMs)
                return {
                  groupId: a.group_id as string,
                  traits: a.traits as Record<string, unknown>,
                  score: { total: s.total, grade: s.grade },
                }
              },
            ),
            segments: new Set((by.segments.get(r.id) ?? []).map((s) => s.segment_id)),
            lists: new Set((by.lists.get(r.id) ?? []).map((l) => l.list_id)),
            lastSeenMs: (r.last_seen as Date).getTime(),
            windows,
          }
          if (seg.test(facts)) members++
        }
        examined += rows.length
        after = ids[ids.length - 1]!
        if (rows.length < BATCH) break
      }
      const [{ n: contacts }] = (await counted) as unknown as [{ n: number }]
      const sampled = examined < contacts
      const e = estimateFromSample(members, examined, contacts)
      return {
        members: e.count,
        contacts,
        examined,
        sampled,
        estimate: sampled,
        sampleSize: examined,
        range: { low: e.low, high: e.high },
      }
    })
  }

  async function rankAccounts(
    workspaceId: string,
    opts: { sort: AccountSort; desc: boolean; limit: number; offset: number; now: Date },
  ) {
    return guard(async () => {
      const { scorer } = await rules.current(sql, workspaceId)
      const nowMs = opts.now.getTime()
      const e = engagementSql(sql, scorer, nowMs)
      const dir = opts.desc ? sql`desc` : sql`asc`
      // Ties as `GET /v1/accounts` breaks them (score-order.ts rankedContacts), in either direction.
      const byTotal = sql`c.score_fit + ${e} ${dir}, c.score_fit ${dir}, c.score_key ${dir}`
      const order = {
        total: byTotal,
        fit: sql`c.score_fit ${dir}, ${byTotal}`,
        engagement: sql`${e} ${dir}, ${byTotal}`,
        members: sql`members ${dir}, ${byTotal}`,
        name: sql`lower(coalesce(c.traits ->> 'name', c.group_id)) ${dir}`,
      }[opts.sort]
      const scope = sql`c.workspace_id = ${workspaceId} and c.merged_into is null`
      const [rows, [count]] = await Promise.all([
        sql`select c.id, c.group_id, c.traits, c.score_fit, c.score_key,
            (select count(*)::int from account_members m where m.account_id = c.id) as members
          from accounts c where ${scope}
          order by ${order}, c.id ${dir} limit ${opts.limit} offset ${opts.offset}`,
        sql`select count(*)::int as n from accounts c where ${scope}`,
      ])
      return {
        total: count!.n as number,
        accounts: rows.map((r) => {
          const traits = r.traits as Record<string, unknown>
          return {
            id: r.id as string,
            groupId: r.group_id as string,
            name: typeof traits.name === 'string' ? traits.name : null,
            traits,
            score: scoreOfRow(r as never, scorer, nowMs),
            members: r.members as number,
          }
        }),
      }
    })
  }

  return { previewSegment, rankAccounts }
}
