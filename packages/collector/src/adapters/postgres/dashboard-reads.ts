import type { Sql } from 'postgres'
import type {
  ContactSummary,
  DashboardContactQuery,
  DashboardOverview,
  ScorePoint,
  Workspace,
} from '../../ports.js'
import { CollectorError } from '../../errors.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import type { RulesCache } from './rules-cache.js'

type Guard = <T>(fn: () => Promise<T>) => Promise<T>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`)
const DAY_MS = 86_400_000

/** Rows a filtered contacts page may examine, so one page costs the same at 1M contacts. */
export const SEARCH_BUDGET = 20_000

const summary = (r: Record<string, unknown>): ContactSummary => ({
  id: r.id as string,
  traits: r.traits as Record<string, unknown>,
  firstSeen: iso(r.first_seen),
  lastSeen: iso(r.last_seen),
  score: {
    fit: r.score_fit,
    engagement: r.score_engagement,
    total: r.score_total,
    grade: r.grade,
  },
})

/** A step of 1, 2 or 5 × 10ⁿ that cuts `span` into at most `buckets` pieces. */
export function niceStep(span: number, buckets: number): number {
  const raw = Math.max(span, 1) / buckets
  const p = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!
}

/**
 * The SQL behind the dashboard: filtered contact pages, score history, overview aggregates,
 * labels for the live feed, and the session signing key. Every statement is scoped to one workspace.
 */
export function createDashboardReads(sql: Sql, guard: Guard, rules: RulesCache) {
  // Under a code-point collation, `value >= p and value < p || U+10FFFF` is exactly "starts
  // with p" and walks the identities key; other collations cannot promise that (punctuation
  // may be ignored), so they keep LIKE alone.
  let codePointOrder: Promise<boolean> | null = null
  const sortsByCodePoint = () =>
    (codePointOrder ??= sql`select datcollate from pg_database
        where datname = current_database()`.then(
      ([r]) => /^(C|POSIX|C\.UTF-?8)$/i.test(String(r?.datcollate ?? '')),
      () => false,
    ))
  return {
    /** The workspace and the key its dashboard sessions are signed with (its secret key's hash). */
    async dashboardSession(
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
    },

    /** The grades of the current rules, lowest first, with the total each starts at. */
    async scoreGrades(workspaceId: string): Promise<{ name: string; min: number | null }[]> {
      const { scorer } = await guard(() => rules.current(sql, workspaceId))
      return scorer.ruleSet.grades.map((g) => ({ name: g.name, min: g.min ?? null }))
    },

    /**
     * Contacts ranked by total score that pass the filters. Walks the score index from the
     * cursor, stopping as soon as a page is full, and examines at most `budget` contacts: when
     * that window holds fewer matches than a page, `next` continues the search after the window
     * (and `scanned` says how far it got).
     */
    async searchContacts(workspaceId: string, q: DashboardContactQuery) {
      return guard(async () => {
        const budget = q.budget ?? SEARCH_BUDGET
        const after = decodeCursor(q.cursor, 2) as [number, string] | null
        if (
          after &&
          !(Number.isFinite(after[0]) && typeof after[1] === 'string' && UUID.test(after[1]))
        )
          throw new CollectorError('bad_request', 'Invalid cursor')
        const conds = []
        const search = q.search?.trim()
        if (search) {
          const email = `${likeEscape(search.toLowerCase())}%`
          const name = `%${likeEscape(search)}%`
          // not correlated: the matching emails are looked up once, then hashed
          const prefix = search.toLowerCase()
          const range = (await sortsByCodePoint())
            ? sql`and i.value >= ${prefix} and i.value < ${prefix + '\u{10FFFF}'}`
            : sql``
          conds.push(sql`and (c.id in (select i.contact_id from identities i
              where i.workspace_id = ${workspaceId} and i.kind = 'email' ${range}
                and i.value like ${email})
            or concat_ws(' ', c.traits ->> 'name', c.traits ->> 'firstName',
              c.traits ->> 'lastName') ilike ${name})`)
        }
        if (q.grade) conds.push(sql`and c.grade = ${q.grade}`)
        if (q.trait?.name) {
          conds.push(sql`and lower(c.traits ->> ${q.trait.name}) = lower(${q.trait.value})`)
        }
        if (q.topic) {
          conds.push(sql`and c.id in (select s.contact_id from subscriptions s
            where s.workspace_id = ${workspaceId} and s.topic = ${q.topic} and s.status = 'subscribed')`)
        }
        const filter = conds.reduce((acc, cond) => sql`${acc} ${cond}`, sql`true`)
        const from = after
          ? sql`and (c.score_total, c.id) < (${after[0]}::float8, ${after[1]}::uuid)`
          : sql``
        // The window is not materialised: the outer limit stops the index walk at a full page.
        const rows = await sql`
          select id, traits, first_seen, last_seen, score_fit, score_engagement, score_total, grade
          from (
            select c.*, (${filter}) as hit from contacts c
            where c.workspace_id = ${workspaceId} and c.merged_into is null ${from}
            order by c.score_total desc, c.id desc
            limit ${budget}
          ) w where hit order by score_total desc, id desc limit ${q.limit + 1}`
        const page = rows.slice(0, q.limit)
        if (rows.length > q.limit) {
          const last = page[page.length - 1]!
          return {
            contacts: page.map(summary),
            next: encodeCursor([last.score_total, last.id]),
            scanned: 0,
            windowFull: false,
          }
        }
        // Fewer than a page: the whole window was read. Where did it end?
        const [end] = await sql`select count(*)::int as scanned,
            (array_agg(score_total order by score_total, id))[1] as score_total,
            (array_agg(id order by score_total, id))[1] as id
          from (select c.score_total, c.id from contacts c
            where c.workspace_id = ${workspaceId} and c.merged_into is null ${from}
            order by c.score_total desc, c.id desc limit ${budget}) w`
        const scanned = (end?.scanned as number | undefined) ?? 0
        const windowFull = scanned >= budget
        return {
          contacts: page.map(summary),
          next: windowFull && end ? encodeCursor([end.score_total, end.id]) : null,
          scanned,
          windowFull,
        }
      })
    },

    /** The contact's score after each change, oldest first (the most recent `limit`). */
    async scoreHistory(workspaceId: string, contactId: string, limit = 500): Promise<ScorePoint[]> {
      if (!UUID.test(contactId)) return []
      const rows = await guard(
        () => sql`select at, fit, engagement, total, grade from (
          select * from score_history where contact_id = ${contactId}
            and workspace_id = ${workspaceId} order by at desc limit ${limit}) h
          order by at`,
      )
      return rows.map((r) => ({
        at: iso(r.at),
        fit: r.fit,
        engagement: r.engagement,
        total: r.total,
        grade: r.grade,
      }))
    },

    /** Score distribution, grade counts, new contacts per day and this week's hot leads. */
    async dashboardOverview(
      workspaceId: string,
      opts: { now: Date; days?: number },
    ): Promise<DashboardOverview> {
      return guard(async () => {
        const days = opts.days ?? 30
        const since = new Date(
          Date.UTC(
            opts.now.getUTCFullYear(),
            opts.now.getUTCMonth(),
            opts.now.getUTCDate() - days + 1,
          ),
        )
        const weekAgo = new Date(opts.now.getTime() - 7 * DAY_MS)
        const { scorer } = await rules.current(sql, workspaceId)
        const hotGrade = scorer.grades[scorer.grades.length - 1] ?? null
        // min and max come from the two ends of the score index
        const [range] = await sql`select min(score_total) as lo, max(score_total) as hi
          from contacts where workspace_id = ${workspaceId} and merged_into is null`
        const lo = Number(range?.lo ?? 0)
        const hi = Number(range?.hi ?? 0)
        const step = niceStep(hi - lo, 12)
        const base = Math.floor(lo / step) * step
        // One pass over the contacts for both the histogram and the days (grouping sets).
        const [grouped, hot] = await Promise.all([
          sql`select grouping(day) as by_score, b, grade, day, count(*)::int as n from (
              select floor((score_total - ${base}) / ${step})::int as b, grade,
                case when first_seen >= ${since}
                  then to_char(first_seen at time zone 'UTC', 'YYYY-MM-DD') end as day
              from contacts where workspace_id = ${workspaceId} and merged_into is null
            ) x group by grouping sets ((b, grade), (day))`,
          hotGrade
            ? sql`select id, traits, first_seen, last_seen, score_fit, score_engagement,
                score_total, grade from contacts
              where workspace_id = ${workspaceId} and merged_into is null
                and grade = ${hotGrade} and last_seen >= ${weekAgo}
              order by score_total desc, id desc limit 10`
            : Promise.resolve([]),
        ])
        const buckets = grouped.filter((r) => Number(r.by_score) === 1)
        const perDay = grouped.filter((r) => Number(r.by_score) === 0 && r.day !== null)
        const histogram = new Map<number, number>()
        const grades = new Map<string, number>()
        let total = 0
        for (const r of buckets) {
          histogram.set(r.b, (histogram.get(r.b) ?? 0) + r.n)
          const g = (r.grade as string | null) ?? 'unscored'
          grades.set(g, (grades.get(g) ?? 0) + r.n)
          total += r.n
        }
        const top = Math.max(-1, ...histogram.keys())
        const counts = new Map(perDay.map((r) => [r.day as string, r.n as number]))
        return {
          total,
          distribution: Array.from({ length: top + 1 }, (_, b) => ({
            from: base + b * step,
            to: base + (b + 1) * step,
            count: histogram.get(b) ?? 0,
          })),
          grades: [...grades].map(([grade, count]) => ({ grade, count })),
          newPerDay: Array.from({ length: days }, (_, i) => {
            const day = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10)
            return { day, count: counts.get(day) ?? 0 }
          }),
          hotGrade,
          hotLeads: hot.map(summary),
        }
      })
    },

    /** A short label (name, email or nothing) and grade per contact id, for the live feed. */
    async contactLabels(workspaceId: string, ids: string[]) {
      const valid = ids.filter((id) => UUID.test(id))
      if (valid.length === 0) return {}
      const rows = await guard(
        () => sql`select id, grade, score_total,
            coalesce(nullif(traits ->> 'name', ''), nullif(concat_ws(' ', traits ->> 'firstName',
              traits ->> 'lastName'), ''), traits ->> 'email') as label
          from contacts where workspace_id = ${workspaceId} and id = any(${valid}::uuid[])`,
      )
      return Object.fromEntries(
        rows.map((r) => [
          r.id as string,
          { label: (r.label as string | null) ?? null, grade: r.grade, total: r.score_total },
        ]),
      ) as Record<string, { label: string | null; grade: string | null; total: number }>
    },
  }
}
