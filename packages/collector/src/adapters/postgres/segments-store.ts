import type { Sql } from 'postgres'
import { buyingRole } from '@lodestone/scoring'
import { CollectorError } from '../../errors.js'
import { conditionSchema, referencedSegments } from '../../segments/conditions.js'
import type { AudiencePort, SegmentInput } from '../../segments/port.js'
import { encodeCursor, decodeCursor } from './cursor.js'
import { guard, iso, UUID } from './rows.js'
import { createRulesCache } from './rules-cache.js'
import { scoreOfRow } from './score-order.js'
import { wouldCycle } from './segment-defs.js'
import { backfillBatch } from './segment-backfill.js'
import { recordDailyCounts, sweepDue, sweepStaleDefaults } from './time-sweep.js'
import { createWebhookStore } from './webhooks.js'
import { createAccountReads } from './accounts-reads.js'

const KEY = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || `segment-${crypto.randomUUID().slice(0, 8)}`

function view(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    key: r.key as string,
    name: r.name as string,
    description: (r.description as string | null) ?? null,
    conditions: r.conditions,
    browser: r.browser as boolean,
    version: r.version as number,
    status: r.status as 'building' | 'ready',
    progress: { done: r.backfill_done as number, total: r.backfill_total as number },
    members: (r.members as number | undefined) ?? 0,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

/** Checks a segment document: 400 `invalid_segment` with one issue per problem. */
function parseInput(input: SegmentInput) {
  const parsed = conditionSchema.safeParse(input.conditions)
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        path: ['conditions', ...i.path].join('.'),
        message: i.message,
      }))
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200)
    issues.push({ path: 'name', message: 'A name of 1 to 200 characters is required' })
  if (input.key !== undefined && (typeof input.key !== 'string' || !KEY.test(input.key)))
    issues.push({ path: 'key', message: 'Lower-case letters, digits, - and _' })
  if (issues.length)
    throw new CollectorError('invalid_segment', 'The segment is not valid', { issues })
  return parsed.data!
}

/**
 * Segments, static lists and accounts on PostgreSQL (docs/segments.md, docs/accounts.md), and
 * the background work time causes: the due sweep, back-fills and daily member counts.
 */
export function createAudienceStore(sql: Sql) {
  const rules = createRulesCache()
  const { enqueueWebhookEvents: enqueue } = createWebhookStore(sql, guard)

  async function checkRefs(workspaceId: string, id: string, conditions: never) {
    const refs = referencedSegments(conditions)
    if (refs.size === 0) return
    const known = await sql`select id from segments where workspace_id = ${workspaceId}
      and id = any(${[...refs]}::text[])`
    if (known.length !== refs.size)
      throw new CollectorError('invalid_segment', 'A referenced segment does not exist', {
        issues: [{ path: 'conditions', message: 'Unknown segment id' }],
      })
    if (await wouldCycle(sql, workspaceId, id, refs))
      throw new CollectorError(
        'invalid_segment',
        'Segments may not refer to each other in a cycle',
        {
          issues: [{ path: 'conditions', message: 'Cycle through segment references' }],
        },
      )
  }

  const contactCount = async (workspaceId: string) =>
    Number(
      (
        await sql`select count(*)::int as n from contacts where workspace_id = ${workspaceId}
          and merged_into is null`
      )[0]!.n,
    )

  const port = {
    async createSegment(workspaceId: string, input: SegmentInput) {
      const conditions = parseInput(input)
      const id = `seg_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
      return guard(async () => {
        await checkRefs(workspaceId, id, conditions as never)
        const total = await contactCount(workspaceId)
        const [row] = await sql`insert into segments (id, workspace_id, key, name, description,
            conditions, browser, backfill_total)
          values (${id}, ${workspaceId}, ${input.key ?? slug(input.name)}, ${input.name.trim()},
            ${input.description ?? null}, ${sql.json(conditions as never)}, ${input.browser === true}, ${total})
          on conflict (workspace_id, key) do nothing returning *`
        if (!row) throw new CollectorError('conflict', 'A segment with this key exists')
        return view(row)
      })
    },

    async updateSegment(workspaceId: string, id: string, input: SegmentInput) {
      const conditions = parseInput(input)
      return guard(async () => {
        await checkRefs(workspaceId, id, conditions as never)
        const total = await contactCount(workspaceId)
        // Only new conditions change who is a member: they make a new version and back-fill it
        // again. A new name, description or public switch keeps the version, the status (ready,
        // or a back-fill still running) and every membership, and fires no Entered/Exited
        // events. jsonb equality ignores key order and spacing; the update reads the old row.
        const [row] = await sql`update segments s set name = ${input.name.trim()},
            description = ${input.description ?? null}, browser = ${input.browser === true},
            conditions = n.conditions, updated_at = now(),
            version = case when s.conditions = n.conditions then s.version else s.version + 1 end,
            status = case when s.conditions = n.conditions then s.status else 'building' end,
            backfill_after = case when s.conditions = n.conditions then s.backfill_after end,
            backfill_done = case when s.conditions = n.conditions then s.backfill_done else 0 end,
            backfill_total = case when s.conditions = n.conditions then s.backfill_total
              else ${total} end
          from (select ${sql.json(conditions as never)}::jsonb as conditions) n
          where s.workspace_id = ${workspaceId} and s.id = ${id}
          returning s.*, (select count(*)::int from segment_members m
            where m.segment_id = s.id and m.member) as members`
        return row ? view(row) : null
      })
    },

    async deleteSegment(workspaceId: string, id: string) {
      return guard(async () => {
        const used = await sql`select id from segments where workspace_id = ${workspaceId}
          and id <> ${id} and conditions::text like ${`%"segment": "${id}"%`}`
        if (used.length) throw new CollectorError('conflict', 'Another segment refers to this one')
        // Memberships have no foreign key to cascade from (migration 0018): deleted in the same
        // transaction, by a second statement, so its snapshot also holds what a back-fill step
        // that held the segment's row (the delete waited for it) committed meanwhile.
        const rows = await sql.begin(async (tx) => {
          const gone = await tx`delete from segments where workspace_id = ${workspaceId}
            and id = ${id} returning id`
          if (gone.length) await tx`delete from segment_members where segment_id = ${id}`
          return gone
        })
        return rows.length > 0
      })
    },

    async listSegments(workspaceId: string) {
      const rows = await guard(
        () => sql`select s.*, (select count(*)::int from segment_members m
            where m.segment_id = s.id and m.member) as members
          from segments s where s.workspace_id = ${workspaceId} order by s.created_at, s.id`,
      )
      return rows.map(view)
    },

    async getSegment(workspaceId: string, id: string) {
      return guard(async () => {
        const [row] = await sql`select s.*, (select count(*)::int from segment_members m
            where m.segment_id = s.id and m.member) as members
          from segments s where s.workspace_id = ${workspaceId} and s.id = ${id}`
        if (!row) return null
        const days = await sql`select day, members from segment_daily_counts
          where segment_id = ${id} order by day desc limit 90`
        return {
          ...view(row),
          daily: days
            .reverse()
            .map((d) => ({ day: iso(d.day).slice(0, 10), members: d.members as number })),
        }
      })
    },

    /** Members in contact id order, scored as of `now`. */
    async segmentMembers(
      workspaceId: string,
      id: string,
      opts: { limit: number; cursor?: string; now: Date },
    ) {
      const after = decodeCursor(opts.cursor, 1, ([k]) => typeof k === 'string' && UUID.test(k))
      return guard(async () => {
        const [seg] =
          await sql`select id from segments where workspace_id = ${workspaceId} and id = ${id}`
        if (!seg) return null
        const { scorer } = await rules.current(sql, workspaceId)
        const rows =
          await sql`select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit, c.score_key
          from segment_members m join contacts c on c.id = m.contact_id
          where m.segment_id = ${id} and m.member and m.workspace_id = ${workspaceId}
            and c.merged_into is null ${after ? sql`and m.contact_id > ${after[0] as string}::uuid` : sql``}
          order by m.contact_id limit ${opts.limit + 1}`
        const page = rows.slice(0, opts.limit)
        return {
          contacts: page.map((r) => ({
            id: r.id as string,
            traits: r.traits,
            firstSeen: iso(r.first_seen),
            lastSeen: iso(r.last_seen),
            score: scoreOfRow(r as never, scorer, opts.now.getTime()),
          })),
          next: rows.length > opts.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
        }
      })
    },

    async contactAudience(workspaceId: string, contactId: string) {
      return guard(async () => {
        const [segments, accounts] = await Promise.all([
          sql`select s.id, s.name from segment_members m join segments s on s.id = m.segment_id
            where m.contact_id = ${contactId} and m.member and m.workspace_id = ${workspaceId}
            order by s.name`,
          sql`select a.id, a.group_id, a.traits ->> 'name' as name, c.traits ->> 'title' as title
            from account_members m join accounts a on a.id = m.account_id
            join contacts c on c.id = m.contact_id
            where m.contact_id = ${contactId} and m.workspace_id = ${workspaceId}`,
        ])
        return {
          segments: segments.map((s) => ({ id: s.id as string, name: s.name as string })),
          accounts: accounts.map((a) => ({
            id: a.id as string,
            groupId: a.group_id as string,
            name: (a.name as string | null) ?? null,
            role: buyingRole(a.title),
          })),
        }
      })
    },

    /** Runs one back-fill batch (of `segmentId`, or of any building segment). */
    backfillStep: (now: Date, segmentId: string | null = null) =>
      guard(() => backfillBatch(sql, rules, enqueue, now, segmentId)),

    /**
     * Contacts whose `due_at` has passed, as one collector process's share, and a batch of
     * contacts (and their accounts) scored under older default rules while a workspace's stored
     * marker says its sweep has not finished for today's defaults.
     */
    runDue: (now: Date) =>
      guard(async () => {
        const due = await sweepDue(sql, rules, enqueue, now)
        const stale = await sweepStaleDefaults(sql, rules, enqueue, now)
        return [...due, ...stale]
      }),

    /** A back-fill batch of any building segment and, when asked, today's member counts. */
    async runBackground(now: Date, opts: { countDaily?: boolean } = {}) {
      await guard(() => backfillBatch(sql, rules, enqueue, now, null))
      if (opts.countDaily) await guard(() => recordDailyCounts(sql, now))
    },

    async publicSegments(workspaceId: string, ids: { anonymousId?: string; userId?: string }) {
      const pairs = [
        ...(ids.userId ? [['userId', ids.userId]] : []),
        ...(ids.anonymousId ? [['anonymousId', ids.anonymousId]] : []),
      ]
      if (pairs.length === 0) return []
      const rows = await guard(
        () => sql`select distinct s.key from identities i
          join contacts c on c.id = i.contact_id
          join segment_members m on m.contact_id = coalesce(c.merged_into, c.id) and m.member
          join segments s on s.id = m.segment_id and s.browser and s.status = 'ready'
          where i.workspace_id = ${workspaceId}
            and (i.kind, i.value) in (select * from unnest(${pairs.map((p) => p[0]!)}::text[],
              ${pairs.map((p) => p[1]!)}::text[]))
          order by s.key`,
      )
      return rows.map((r) => r.key as string)
    },

    async setAccountSettings(workspaceId: string, settings: { matchDomains: boolean }) {
      await guard(
        () => sql`insert into account_settings (workspace_id, match_domains)
          values (${workspaceId}, ${settings.matchDomains})
          on conflict (workspace_id) do update set match_domains = excluded.match_domains`,
      )
    },

    ...createAccountReads(sql, guard, rules),
  } satisfies AudiencePort & Record<string, unknown>
  return port
}

export type AudienceStore = ReturnType<typeof createAudienceStore>
