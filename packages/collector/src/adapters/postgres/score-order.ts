import type { Fragment, Sql } from 'postgres'
import {
  elapsedHalfLives,
  engagementFromKey,
  scoreFromKey,
  type Scorer,
  type ScoreNow,
} from '@lodestone/scoring'
import { CollectorError } from '../../errors.js'
import { decodeCursor, encodeCursor, keysetPage } from './cursor.js'
import { halfLifeOf } from '../../pipeline/score.js'

// Scores as of now from (score_fit, score_key): see packages/scoring/src/score-key.ts and
// docs/scoring.md ("Scores as of now"). Every read goes through here, so the list, its order,
// the profile, the overview and the API agree at any moment.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export { halfLifeOf }

/** The score a row shows at `nowMs`. */
export function scoreOfRow(
  r: { score_fit: number; score_key: number },
  scorer: Scorer,
  nowMs: number,
): ScoreNow {
  return scoreFromKey(r.score_fit, r.score_key, nowMs, halfLifeOf(scorer), scorer.ruleSet.grades)
}

/** SQL for a contact's unrounded engagement at `nowMs` (alias `c`). */
export function engagementSql(sql: Sql, scorer: Scorer, nowMs: number): Fragment {
  const tau = elapsedHalfLives(nowMs, halfLifeOf(scorer))
  return sql`(case when c.score_key = 0 then 0::float8 else sign(c.score_key)
    * power(2::float8, greatest(abs(c.score_key) - 64 - ${tau}::float8, -1000)) end)`
}

/** SQL for the total a contact shows at `nowMs` (two decimals, as scoreFromKey rounds). */
export function totalSql(sql: Sql, scorer: Scorer, nowMs: number): Fragment {
  return sql`(round(c.score_fit::numeric, 2) + round(${engagementSql(sql, scorer, nowMs)}::numeric, 2))::float8`
}

/** SQL that holds when a contact's grade at `nowMs` is `grade`. */
export function gradeSql(sql: Sql, scorer: Scorer, nowMs: number, grade: string): Fragment {
  const grades = scorer.ruleSet.grades
  const i = grades.findIndex((g) => g.name === grade)
  if (i < 0) return sql`false`
  const total = totalSql(sql, scorer, nowMs)
  const lo = i === 0 ? null : (grades[i]!.min ?? null)
  const hi = i + 1 < grades.length ? (grades[i + 1]!.min ?? null) : null
  return sql`(${lo === null ? sql`true` : sql`${total} >= ${lo}`} and ${hi === null ? sql`true` : sql`${total} < ${hi}`})`
}

/** SQL for a contact's grade at `nowMs`, from the same total. */
export function gradeCaseSql(sql: Sql, scorer: Scorer, nowMs: number): Fragment {
  const grades = scorer.ruleSet.grades
  const total = totalSql(sql, scorer, nowMs)
  let out = sql`${grades[0]?.name ?? ''}::text`
  for (const g of grades.slice(1))
    if (typeof g.min === 'number')
      out = sql`case when ${total} >= ${g.min} then ${g.name}::text else ${out} end`
  return out
}

/** Where a score-ordered page continues: the last row's fit, key and id, and the page's time. */
export interface ScoreCursor {
  fit: number
  key: number
  id: string
  nowMs: number
}

export function encodeScoreCursor(c: ScoreCursor): string {
  return encodeCursor([c.fit, c.key, c.id, c.nowMs])
}

export function decodeScoreCursor(cursor: string | undefined): ScoreCursor | null {
  const keys = decodeCursor(
    cursor,
    4,
    ([f, k, id, t]) =>
      Number.isFinite(f) &&
      Number.isFinite(k) &&
      typeof id === 'string' &&
      UUID.test(id) &&
      Number.isFinite(t),
  )
  if (!keys) return null
  const [fit, key, id, nowMs] = keys as [number, number, string, number]
  if (!Number.isFinite(nowMs)) throw new CollectorError('bad_request', 'Invalid cursor')
  return { fit, key, id, nowMs }
}

/**
 * What both score orders share: engagement SQL (`e`), the elapsed half-lives (`tau`), the
 * direction, and the conditions (each `and ...`, or nothing) that keep rows past `after` and
 * (`upTo`) rows not past `upTo`, `fit` being SQL for the row's fit run. In a position's own fit
 * run: the stored (key, id) against it. In another run: engagement below (above, ascending) the
 * position's total - fit, which is a bound on the key. Each condition comes with a plain bound
 * on `score_key` (a function of the run's fit only), so a walk of one fit run starts and stops
 * in the index instead of reading the run from its top.
 */
function orderParts(
  sql: Sql,
  opts: {
    scorer: Scorer
    nowMs: number
    asc?: boolean
    after?: ScoreCursor | null
    upTo?: ScoreCursor | null
  },
  fit: Fragment,
) {
  const { scorer, nowMs, after, upTo } = opts
  const e = engagementSql(sql, scorer, nowMs)
  const tau = elapsedHalfLives(nowMs, halfLifeOf(scorer))
  const asc = opts.asc === true
  const dir = asc ? sql`asc` : sql`desc`
  const past = asc ? sql`>` : sql`<`
  const pastOrAt = asc ? sql`>=` : sql`<=`
  const notPast = asc ? sql`<=` : sql`>=`
  // The key a row of run `fit` has where the order passes `pos` (a bound, exact in pos's run).
  const keyAt = (pos: ScoreCursor) => {
    const v = pos.fit + engagementFromKey(pos.key, pos.nowMs, halfLifeOf(scorer))
    return sql`(case when ${fit} = ${pos.fit}::float8 then ${pos.key}::float8
        when ${v}::float8 - ${fit} > 0 then ln(${v}::float8 - ${fit}) / ln(2) + 64 + ${tau}::float8
        when ${v}::float8 - ${fit} = 0 then 0
        else -(ln(${fit} - ${v}::float8) / ln(2) + 64 + ${tau}::float8) end)`
  }
  const isPast = (pos: ScoreCursor) => sql`(case when c.score_fit = ${pos.fit}::float8
        then (c.score_key, c.id) ${past} (${pos.key}::float8, ${pos.id}::uuid)
      else c.score_key ${past} ${keyAt(pos)} end)`
  const from = after ? sql`and c.score_key ${pastOrAt} ${keyAt(after)} and ${isPast(after)}` : sql``
  const until = upTo
    ? sql`and c.score_key ${notPast} ${keyAt(upTo)} and not ${isPast(upTo)}`
    : sql``
  return { e, tau, asc, dir, past, from, until }
}

/**
 * Contacts of a workspace in order of their total at `nowMs` (highest first, then id; `asc`:
 * lowest first), passing `filter` (SQL over alias `c`), after `after`. Fit does not decay and
 * contacts of equal fit keep their order as time passes, so the index on (fit, key) is walked
 * once per distinct fit value (found by a skip scan) and the short runs are merged: exact at any
 * moment, and about (distinct fit values × page) index entries per page however many contacts
 * there are (a filter that few contacts pass reads further into each run).
 */
export async function rankedContacts(
  sql: Sql,
  opts: {
    workspaceId: string
    scorer: Scorer
    nowMs: number
    limit: number
    after?: ScoreCursor | null
    /** Rows past this position are not read (`rankedBandEnd`): the walk ends there. */
    upTo?: ScoreCursor | null
    filter?: Fragment
    columns: Fragment
    /** `accounts` ranks accounts, which carry the same fit and key columns. */
    table?: 'contacts' | 'accounts'
    asc?: boolean
    /**
     * Totals the filter keeps lie within these bounds (inclusive): each fit run is then walked
     * only over the keys that can reach them, a cent of rounding to spare on either side. The
     * filter still decides exactly.
     */
    range?: { min?: number; max?: number }
  },
) {
  const { workspaceId, limit } = opts
  const { e, tau, asc, dir, past, from, until } = orderParts(sql, opts, sql`f.v`)
  // The key of engagement `x` as of now (x is SQL over f.v, the run's fit): monotone in x.
  const keyOf = (x: Fragment) => sql`(case when ${x} > 0 then ln(${x}) / ln(2) + 64 + ${tau}::float8
    when ${x} = 0 then 0 else -(ln(-(${x})) / ln(2) + 64 + ${tau}::float8) end)`
  let bounds = sql``
  if (opts.range?.max !== undefined)
    bounds = sql`${bounds} and c.score_key <= ${keyOf(sql`(${opts.range.max + 0.01}::float8 - f.v)`)}`
  if (opts.range?.min !== undefined)
    bounds = sql`${bounds} and c.score_key >= ${keyOf(sql`(${opts.range.min - 0.01}::float8 - f.v)`)}`
  const scope = sql`c.workspace_id = ${workspaceId} and c.merged_into is null`
  const table = sql(opts.table ?? 'contacts')
  const first = asc ? sql`min` : sql`max`
  return sql`
    with recursive fits(v) as (
      select ${first}(c.score_fit) from ${table} c where ${scope}
      union all
      select (select ${first}(c.score_fit) from ${table} c where ${scope} and c.score_fit ${past} f.v)
      from fits f where f.v is not null
    )
    select r.* from fits f cross join lateral (
      select ${opts.columns}, c.score_fit, c.score_key, c.score_fit + ${e} as exact
      from ${table} c
      where ${scope} and c.score_fit = f.v ${from} ${until} ${bounds} and (${opts.filter ?? sql`true`})
      order by c.score_key ${dir}, c.id ${dir} limit ${limit}
    ) r where f.v is not null
    order by r.exact ${dir}, r.score_fit ${dir}, r.score_key ${dir}, r.id ${dir} limit ${limit}`
}

/** One page of `rankedContacts` (`limit` rows) and the cursor of the next one. */
export async function rankedPage(sql: Sql, opts: Parameters<typeof rankedContacts>[1]) {
  const rows = await rankedContacts(sql, { ...opts, limit: opts.limit + 1 })
  return keysetPage(rows, opts.limit, (last) =>
    encodeScoreCursor({ fit: last.score_fit, key: last.score_key, id: last.id, nowMs: opts.nowMs }),
  )
}

/**
 * The same order as `rankedContacts`, over a few given contacts (`ids`, a candidate set a
 * filter's index handed over): one sort of at most that many rows, with the cursor condition
 * of `rankedContacts` written per row instead of per fit run.
 */
export async function rankedAmong(
  sql: Sql,
  opts: Omit<Parameters<typeof rankedContacts>[1], 'table' | 'range'> & { ids: string[] },
) {
  const { workspaceId, limit } = opts
  const { e, dir, from, until } = orderParts(sql, opts, sql`c.score_fit`)
  return sql`
    select ${opts.columns}, c.score_fit, c.score_key, c.score_fit + ${e} as exact
    from contacts c
    where c.workspace_id = ${workspaceId} and c.merged_into is null
      and c.id = any(${opts.ids}::uuid[]) ${from} ${until} and (${opts.filter ?? sql`true`})
    order by exact ${dir}, c.score_fit ${dir}, c.score_key ${dir}, c.id ${dir} limit ${limit}`
}

/** Contacts a band's sample aims at (see `rankedBandEnd`). */
const BAND_SAMPLE = 2_000

/**
 * A position about `rows` contacts past `after` in the order of `rankedContacts` (a real
 * contact's fit, key and id), or null when fewer than about that many remain: where a walk that
 * may examine `rows` contacts stops, so a filter few contacts pass costs the same at any size
 * (docs/dashboard.md, "Contacts"). Found from a fixed sample of the table's pages (about
 * BAND_SAMPLE rows, all of a small table), so it costs a few hundred page reads at 1M contacts;
 * the band it ends is exact (`upTo`), only its size is an estimate.
 */
export async function rankedBandEnd(
  sql: Sql,
  opts: {
    workspaceId: string
    scorer: Scorer
    nowMs: number
    rows: number
    after?: ScoreCursor | null
    asc?: boolean
    /** The totals the walk keeps (as `rankedContacts`'s `range`): the band starts within them. */
    range?: { min?: number; max?: number }
  },
): Promise<ScoreCursor | null> {
  const [est] =
    await sql`select reltuples::float8 as n from pg_class where oid = 'contacts'::regclass`
  const n = Number(est?.n ?? -1)
  const percent = n > BAND_SAMPLE ? (100 * BAND_SAMPLE) / n : 100
  const k = Math.max(1, Math.round((opts.rows * percent) / 100))
  const { e, dir, from } = orderParts(sql, opts, sql`c.score_fit`)
  const { min, max } = opts.range ?? {}
  const [row] = await sql`
    select c.id, c.score_fit, c.score_key
    from contacts c tablesample system (${percent}) repeatable (7)
    where c.workspace_id = ${opts.workspaceId} and c.merged_into is null ${from}
      ${min === undefined ? sql`` : sql`and c.score_fit + ${e} >= ${min - 0.01}`}
      ${max === undefined ? sql`` : sql`and c.score_fit + ${e} <= ${max + 0.01}`}
    order by c.score_fit + ${e} ${dir}, c.score_fit ${dir}, c.score_key ${dir}, c.id ${dir}
    offset ${k - 1} limit 1`
  if (!row) return null
  return { fit: row.score_fit, key: row.score_key, id: row.id, nowMs: opts.nowMs }
}
