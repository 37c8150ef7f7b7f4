import type { Sql } from 'postgres'
import type { DashboardContactQuery } from '../../../ports.js'
import { CollectorError } from '../../../errors.js'
import { decodeCursor, encodeCursor } from '../cursor.js'
import { summary, UUID, type Guard } from './shared.js'

/** Rows a filtered contacts page may examine, so one page costs the same at 1M contacts. */
export const SEARCH_BUDGET = 20_000

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

/**
 * Contacts ranked by total score that pass the filters. Walks the score index from the
 * cursor, stopping as soon as a page is full, and examines at most `budget` contacts: when
 * that window holds fewer matches than a page, `next` continues the search after the window
 * (and `scanned` says how far it got).
 */
export function searchContacts(
  sql: Sql,
  guard: Guard,
  sortsByCodePoint: () => Promise<boolean>,
  workspaceId: string,
  q: DashboardContactQuery,
) {
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
}
