import type { Fragment, Sql } from 'postgres'
import type { ContactSort } from '../../../ports.js'
import { CollectorError } from '../../../errors.js'
import { decodeCursor, encodeCursor } from '../cursor.js'
import { UUID } from './shared.js'

/**
 * The sort keys of the contacts list as SQL over a contacts row `c`, written exactly as the
 * indexes of migration 0012 define them (without the alias), so each order walks its index.
 * Never null: a missing trait sorts as '' (text) or -Infinity (numbers), which keeps keyset
 * cursors simple. Literal SQL on purpose: a bound parameter would not match the index.
 */
const TEXT: Partial<Record<ContactSort, string>> = {
  // contactLabel (dashboard/views/format.ts): name, else first and last name, else email
  name: `lower(coalesce(nullif(traits ->> 'name', ''),
    nullif(btrim(coalesce(traits ->> 'firstName', '') || ' ' || coalesce(traits ->> 'lastName', '')), ''),
    traits ->> 'email', ''))`,
  email: `lower(coalesce(traits ->> 'email', ''))`,
}

const numberTrait = (name: string) =>
  `coalesce(case when jsonb_typeof(traits -> '${name}') = 'number'
    then (traits ->> '${name}')::float8 end, '-Infinity'::float8)`

const NUMBER: Partial<Record<ContactSort, string>> = {
  lifetimeValue: numberTrait('lifetimeValue'),
  churnRisk: numberTrait('churnRisk'),
}

/**
 * The index definitions of migration 0012 (one per order). Changing an expression above needs a
 * new migration that recreates its index, or the order stops using it.
 */
export const SORT_INDEXES = {
  contacts_workspace_first_seen: `(workspace_id, first_seen desc, id desc)`,
  contacts_sort_name: `(workspace_id, (${TEXT.name}) desc, id desc)`,
  contacts_sort_email: `(workspace_id, (${TEXT.email}) desc, id desc)`,
  contacts_sort_ltv: `(workspace_id, (${NUMBER.lifetimeValue}) desc, id desc)`,
  contacts_sort_churn: `(workspace_id, (${NUMBER.churnRisk}) desc, id desc)`,
}

type Kind = 'number' | 'time' | 'text'

function keyOf(sql: Sql, sort: ContactSort): { expr: Fragment; kind: Kind } {
  if (sort === 'lastSeen') return { expr: sql`c.last_seen`, kind: 'time' }
  if (sort === 'firstSeen') return { expr: sql`c.first_seen`, kind: 'time' }
  const text = TEXT[sort]
  if (text) return { expr: sql.unsafe(text.replace(/traits/g, 'c.traits')), kind: 'text' }
  const num = NUMBER[sort]
  if (num) return { expr: sql.unsafe(num.replace(/traits/g, 'c.traits')), kind: 'number' }
  // score and grade: grades are ranges of the total, so both follow the score index
  return { expr: sql`c.score_total`, kind: 'number' }
}

const CAST: Record<Kind, string> = { number: '::float8', time: '::timestamptz', text: '::text' }

/**
 * The order of a contacts page: its key expression (selected as `sort_value`), direction, the
 * keyset condition after `cursor` and the cursor of a row. Numbers travel as strings in the
 * cursor, so ±Infinity survive JSON.
 */
export function contactsOrdering(
  sql: Sql,
  q: { sort?: ContactSort; asc?: boolean; cursor?: string },
) {
  const { expr, kind } = keyOf(sql, q.sort ?? 'score')
  const raw = decodeCursor(q.cursor, 2) as [unknown, unknown] | null
  // Cursors made before 0012 carry the score as a number.
  const after = raw && [typeof raw[0] === 'number' ? String(raw[0]) : raw[0], raw[1]]
  if (after) {
    const [v, id] = after
    const ok =
      typeof v === 'string' &&
      typeof id === 'string' &&
      UUID.test(id) &&
      (kind === 'text'
        ? v.length <= 1000
        : kind === 'time'
          ? !Number.isNaN(Date.parse(v))
          : v === '-Infinity' || v === 'Infinity' || Number.isFinite(Number(v)))
    if (!ok) throw new CollectorError('bad_request', 'Invalid cursor')
  }
  const dir = q.asc ? sql`asc` : sql`desc`
  const cast = sql.unsafe(CAST[kind])
  const from = !after
    ? sql``
    : q.asc
      ? sql`and (${expr}, c.id) > (${after[0] as string}${cast}, ${after[1] as string}::uuid)`
      : sql`and (${expr}, c.id) < (${after[0] as string}${cast}, ${after[1] as string}::uuid)`
  const key = (r: Record<string, unknown>) => {
    const v = r.sort_value
    return encodeCursor([v instanceof Date ? v.toISOString() : String(v), r.id])
  }
  return { expr, dir, from, key }
}
