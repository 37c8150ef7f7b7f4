import type { Sql } from 'postgres'
import type { DashboardContactQuery } from '../../../ports.js'
import { contactsOrdering } from './sort-keys.js'
import { summary, UUID, type Guard } from './shared.js'
import type { Scorer } from '@lodestone/scoring'
import type { RulesCache } from '../rules-cache.js'
import { audienceFilter, isListId } from '../audience-filter.js'
import {
  decodeScoreCursor,
  encodeScoreCursor,
  gradeSql,
  rankedAmong,
  rankedBandEnd,
  rankedPage,
  scoreOfRow,
  totalSql,
} from '../score-order.js'

/** Rows a filtered contacts page may examine, so one page costs the same at 1M contacts. */
export const SEARCH_BUDGET = 5_000

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/**
 * Whether the database sorts text by code point. Under such a collation, `value >= p and value
 * < p || U+10FFFF` is exactly "starts with p" and walks the identities key; other collations
 * cannot promise that (punctuation may be ignored), so they keep LIKE alone.
 */
export function codePointOrder(sql: Sql): () => Promise<boolean> {
  let known: Promise<boolean> | null = null
  return () =>
    (known ??= sql`select datcollate from pg_database
        where datname = current_database()`.then(
      ([r]) => /^(C|POSIX|C\.UTF-?8)$/i.test(String(r?.datcollate ?? '')),
      () => false,
    ))
}

/** The computed traits the page filters on as numbers (each indexed: migration 0013). */
type NumericTrait = 'lifetimeValue' | 'churnRisk' | 'ticketsOpen'

/**
 * A number read from a jsonb trait, null when it is not a number. The name is written into the
 * statement (one of three constants, never user input) so the expression is the one the
 * migration indexed.
 */
const numTrait = (sql: Sql, name: NumericTrait) =>
  sql.unsafe(`(case when jsonb_typeof(c.traits -> '${name}') = 'number'
    then (c.traits ->> '${name}')::float8 end)`)

/** The first touch's source (campaign source, else referring site), lower-cased (indexed). */
const sourceSql = (sql: Sql) =>
  sql`lower(coalesce(c.first_touch #>> '{campaign,source}', c.first_touch ->> 'referrerDomain'))`
const campaignSql = (sql: Sql) => sql`lower(c.first_touch #>> '{campaign,name}')`

/** Candidates a page may be driven by (see `drivers`). */
export const DRIVE_CAP = 10_000

/**
 * For each filter an index can hand over (membership of a segment, list or account, a topic,
 * a computed trait bound, first-touch source or campaign, not seen since), the SQL listing its
 * contact ids, at most DRIVE_CAP + 1 of them.
 */
function drivers(sql: Sql, workspaceId: string, q: DashboardContactQuery) {
  const live = sql`c.workspace_id = ${workspaceId} and c.merged_into is null`
  const cap = DRIVE_CAP + 1
  const out = []
  if (q.segmentId && isListId(q.segmentId))
    out.push(sql`select contact_id as id from list_members
      where list_id = ${q.segmentId} and workspace_id = ${workspaceId} limit ${cap}`)
  else if (q.segmentId)
    out.push(sql`select contact_id as id from segment_members
      where segment_id = ${q.segmentId} and workspace_id = ${workspaceId} and member limit ${cap}`)
  if (q.accountId && UUID.test(q.accountId))
    out.push(sql`select contact_id as id from account_members
      where account_id = ${q.accountId} and workspace_id = ${workspaceId} limit ${cap}`)
  if (q.topic)
    out.push(sql`select contact_id as id from subscriptions where workspace_id = ${workspaceId}
      and topic = ${q.topic} and status = 'subscribed' limit ${cap}`)
  const bounds: [NumericTrait, number | undefined][] = [
    ['lifetimeValue', q.minLifetimeValue],
    ['churnRisk', q.minChurnRisk],
    ['ticketsOpen', q.minOpenTickets],
  ]
  for (const [name, min] of bounds)
    if (min !== undefined)
      out.push(sql`select c.id from contacts c where ${live}
        and jsonb_typeof(c.traits -> ${sql.unsafe(`'${name}'`)}) = 'number'
        and ${numTrait(sql, name)} >= ${min} limit ${cap}`)
  if (q.source)
    out.push(sql`select c.id from contacts c where ${live} and c.first_touch is not null
      and ${sourceSql(sql)} = lower(${q.source}) limit ${cap}`)
  if (q.campaign)
    out.push(sql`select c.id from contacts c where ${live} and c.first_touch is not null
      and ${campaignSql(sql)} = lower(${q.campaign}) limit ${cap}`)
  if (q.seenBefore)
    out.push(sql`select c.id from contacts c where ${live} and c.last_seen < ${q.seenBefore}
      limit ${cap}`)
  return out
}

/** The free-text condition: an email prefix (identities key) or part of a name. */
function searchCondition(sql: Sql, codePoint: boolean, workspaceId: string, search: string) {
  const email = `${likeEscape(search.toLowerCase())}%`
  const name = `%${likeEscape(search)}%`
  const prefix = search.toLowerCase()
  const range = codePoint
    ? sql`and i.value >= ${prefix} and i.value < ${prefix + '\u{10FFFF}'}`
    : sql``
  // not correlated: the matching emails are looked up once, then hashed
  return sql`and (c.id in (select i.contact_id from identities i
      where i.workspace_id = ${workspaceId} and i.kind = 'email' ${range}
        and i.value like ${email})
    or concat_ws(' ', c.traits ->> 'name', c.traits ->> 'firstName',
      c.traits ->> 'lastName') ilike ${name})`
}

/**
 * Every filter of the query as one SQL boolean over `c` (a contacts row). Synchronous on
 * purpose: a postgres.js fragment is thenable, so awaiting one would run it.
 */
export function contactFilter(
  sql: Sql,
  codePoint: boolean,
  workspaceId: string,
  q: DashboardContactQuery,
  asOf: { scorer: Scorer; nowMs: number },
) {
  const total = totalSql(sql, asOf.scorer, asOf.nowMs)
  const conds = [sql``]
  const search = q.search?.trim()
  if (search) conds.push(searchCondition(sql, codePoint, workspaceId, search))
  if (q.grade) conds.push(sql`and ${gradeSql(sql, asOf.scorer, asOf.nowMs, q.grade)}`)
  if (q.trait?.name)
    conds.push(sql`and lower(c.traits ->> ${q.trait.name}) = lower(${q.trait.value})`)
  if (q.topic)
    conds.push(sql`and exists (select 1 from subscriptions s where s.contact_id = c.id
      and s.topic = ${q.topic} and s.workspace_id = ${workspaceId} and s.status = 'subscribed')`)
  if (q.score?.min !== undefined) conds.push(sql`and ${total} >= ${q.score.min}`)
  if (q.score?.max !== undefined) conds.push(sql`and ${total} <= ${q.score.max}`)
  if (q.minLifetimeValue !== undefined)
    conds.push(sql`and ${numTrait(sql, 'lifetimeValue')} >= ${q.minLifetimeValue}`)
  if (q.minChurnRisk !== undefined)
    conds.push(sql`and ${numTrait(sql, 'churnRisk')} >= ${q.minChurnRisk}`)
  if (q.minOpenTickets !== undefined)
    conds.push(sql`and ${numTrait(sql, 'ticketsOpen')} >= ${q.minOpenTickets}`)
  if (q.seenAfter) conds.push(sql`and c.last_seen >= ${q.seenAfter}`)
  if (q.seenBefore) conds.push(sql`and c.last_seen < ${q.seenBefore}`)
  if (q.source) conds.push(sql`and ${sourceSql(sql)} = lower(${q.source})`)
  if (q.campaign) conds.push(sql`and ${campaignSql(sql)} = lower(${q.campaign})`)
  conds.push(sql`and ${audienceFilter(sql, workspaceId, q)}`)
  return conds.reduce((acc, cond) => sql`${acc} ${cond}`, sql`true`)
}

/** The totals a grade and score filter allow (inclusive bounds; none: unbounded). */
function scoreRange(q: DashboardContactQuery, scorer: Scorer) {
  const grades = scorer.ruleSet.grades
  let min = q.score?.min
  let max = q.score?.max
  if (q.grade) {
    const i = grades.findIndex((g) => g.name === q.grade)
    const lo = i > 0 ? grades[i]!.min : undefined
    const hi = i >= 0 && i + 1 < grades.length ? grades[i + 1]!.min : undefined
    if (typeof lo === 'number') min = Math.max(min ?? lo, lo)
    if (typeof hi === 'number') max = Math.min(max ?? hi, hi)
  }
  return { min, max }
}

/** Whether the query filters on more than grade and score range (which bound the walk by key). */
function beyondScore(q: DashboardContactQuery) {
  return Boolean(
    q.search?.trim() ||
    q.trait?.name ||
    q.topic ||
    q.minLifetimeValue !== undefined ||
    q.minChurnRisk !== undefined ||
    q.minOpenTickets !== undefined ||
    q.seenAfter ||
    q.seenBefore ||
    q.source ||
    q.campaign ||
    q.segmentId ||
    q.accountId,
  )
}

/** The smallest candidate set a driving filter hands over, or null (none, or all too large). */
async function fewestCandidates(sql: Sql, workspaceId: string, q: DashboardContactQuery) {
  const sets = await Promise.all(drivers(sql, workspaceId, q))
  let fewest: string[] | null = null
  for (const set of sets)
    if (set.length <= DRIVE_CAP && (!fewest || set.length < fewest.length))
      fewest = set.map((r) => r.id as string)
  return fewest
}

/**
 * Contacts in the asked order (each indexed: sort-keys.ts) that pass the filters. Walks
 * the index from the cursor, stopping as soon as a page is full, and examines at most `budget`
 * contacts: when that window holds fewer matches than a page, `next` continues the search after
 * the window (and `scanned` says how far it got).
 */
export function searchContacts(
  sql: Sql,
  guard: Guard,
  sortsByCodePoint: () => Promise<boolean>,
  rules: RulesCache,
  workspaceId: string,
  q: DashboardContactQuery,
) {
  return guard(async () => {
    const { scorer } = await rules.current(sql, workspaceId)
    const codePoint = q.search?.trim() ? await sortsByCodePoint() : false
    // A filter an index answers with few contacts drives the page: those candidates, every
    // filter, in the page's order. Exact, and at most DRIVE_CAP contacts read whatever the
    // workspace's size.
    const candidates = await fewestCandidates(sql, workspaceId, q)
    // By score or grade, filtered or not, either direction: by the score as of now
    // (score-order.ts), the same order as `GET /v1/contacts?sort=score` at any moment; grade
    // and score range bound each fit run's walk by key.
    // A free-text search no index hands over keeps the bounded window (below): walking every
    // fit run for a rare name would read the whole workspace.
    const byScore =
      (!q.sort || q.sort === 'score' || q.sort === 'grade') && (!q.search?.trim() || !!candidates)
    if (byScore) {
      const after = decodeScoreCursor(q.cursor)
      const nowMs = after?.nowMs ?? (q.now ?? new Date()).getTime()
      const filter = contactFilter(sql, codePoint, workspaceId, q, { scorer, nowMs })
      const columns = sql`c.id, c.traits, c.first_seen, c.last_seen`
      if (candidates) {
        const rows = await rankedAmong(sql, {
          workspaceId,
          scorer,
          nowMs,
          limit: q.limit + 1,
          after,
          filter,
          asc: q.asc === true,
          columns,
          ids: candidates,
        })
        const page = rows.slice(0, q.limit)
        const last = page[page.length - 1]
        return {
          contacts: page.map((r) => ({
            ...summary(r),
            score: scoreOfRow(r as never, scorer, nowMs),
          })),
          next:
            rows.length > q.limit && last
              ? encodeScoreCursor({ fit: last.score_fit, key: last.score_key, id: last.id, nowMs })
              : null,
          scanned: 0,
          windowFull: false,
        }
      }
      // A filter beyond the score's own range may be rare: the walk examines about `budget`
      // contacts in the page's order (a band ending at a real contact's position) and, when
      // the band holds less than a page, says so and continues after it (Keep searching).
      const budget = q.budget ?? SEARCH_BUDGET
      const range = scoreRange(q, scorer)
      const upTo = beyondScore(q)
        ? await rankedBandEnd(sql, {
            workspaceId,
            scorer,
            nowMs,
            rows: budget,
            after,
            asc: q.asc === true,
            range,
          })
        : null
      const walk = (db: Sql) =>
        rankedPage(db, {
          workspaceId,
          scorer,
          nowMs,
          limit: q.limit,
          after,
          upTo,
          filter,
          asc: q.asc === true,
          range,
          columns: sql`c.id, c.traits, c.first_seen, c.last_seen`,
        })
      // The planner prices the walk of every fit run at the whole run, so PostgreSQL would
      // compile it (JIT, about a second) although a band reads a few thousand rows.
      const { page, next } = upTo
        ? await sql.begin(async (tx) => {
            await tx`set local jit = off`
            return walk(tx as unknown as Sql)
          })
        : await walk(sql)
      const bandDone = !next && upTo !== null
      return {
        contacts: page.map((r) => ({
          ...summary(r),
          score: scoreOfRow(r as never, scorer, nowMs),
        })),
        next: bandDone ? encodeScoreCursor(upTo) : next,
        scanned: bandDone ? budget : 0,
        windowFull: bandDone,
      }
    }
    const nowMs = (q.now ?? new Date()).getTime()
    const asNow = (r: Record<string, unknown>) => ({
      ...summary(r),
      score: scoreOfRow(r as never, scorer, nowMs),
    })
    const budget = q.budget ?? SEARCH_BUDGET
    const { expr, dir, from, key } = contactsOrdering(sql, q)
    const filter = contactFilter(sql, codePoint, workspaceId, q, { scorer, nowMs })
    if (candidates) {
      const rows = await sql`
        select id, traits, first_seen, last_seen, score_fit, score_engagement, score_total, grade,
          score_key, (${expr}) as sort_value
        from contacts c where c.workspace_id = ${workspaceId} and c.merged_into is null
          and c.id = any(${candidates}::uuid[]) ${from} and (${filter})
        order by ${expr} ${dir}, c.id ${dir} limit ${q.limit + 1}`
      const page = rows.slice(0, q.limit)
      return {
        contacts: page.map(asNow),
        next: rows.length > q.limit ? key(page[page.length - 1]!) : null,
        scanned: 0,
        windowFull: false,
      }
    }
    const window = sql`from contacts c
      where c.workspace_id = ${workspaceId} and c.merged_into is null ${from}
      order by ${expr} ${dir}, c.id ${dir} limit ${budget}`
    // The window is not materialised: the outer limit stops the index walk at a full page.
    const rows = await sql`
      select id, traits, first_seen, last_seen, score_fit, score_engagement, score_total, grade,
        score_key, sort_value
      from (select c.*, (${expr}) as sort_value, (${filter}) as hit ${window}) w
      where hit order by sort_value ${dir}, id ${dir} limit ${q.limit + 1}`
    const page = rows.slice(0, q.limit)
    if (rows.length > q.limit)
      return {
        contacts: page.map(asNow),
        next: key(page[page.length - 1]!),
        scanned: 0,
        windowFull: false,
      }
    // Fewer than a page: the whole window was read. Where did it end?
    const back = q.asc ? sql`desc` : sql`asc`
    const [end] = await sql`select count(*) over ()::int as scanned, id, sort_value
      from (select c.id, (${expr}) as sort_value ${window}) w
      order by sort_value ${back}, id ${back} limit 1`
    const scanned = (end?.scanned as number | undefined) ?? 0
    const windowFull = scanned >= budget
    return {
      contacts: page.map(asNow),
      next: windowFull && end ? key(end) : null,
      scanned,
      windowFull,
    }
  })
}
