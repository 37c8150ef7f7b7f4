// The segment builder's model: a segment's conditions (docs/segments.md) ↔ the builder form's
// fields. One row per condition, combined with "all" or "any"; a row can be negated. Trait rows
// use the rule builder's trait tests (rules-model.ts), so a trait reads the same in both
// builders. Conditions the form cannot express travel as JSON text (`advanced`), untouched.
import { numberOr, traitRow, traitTest, TRAIT_OPS, type TraitOp } from './rules-model.js'

type Json = Record<string, unknown>
type Form = Record<string, string | string[] | File | (string | File)[] | undefined>

export const COND_KINDS = [
  'trait',
  'score',
  'grade',
  'events',
  'lastSeen',
  'subscribed',
  'role',
  'account',
  'segment',
  'list',
] as const
export type CondKind = (typeof COND_KINDS)[number]

export const METRICS = ['score', 'fit', 'engagement'] as const
export const ROLES = ['decision_maker', 'influencer', 'other'] as const
export const MAX_ROWS = 20

/** One condition as the form shows it; which fields count depends on `kind`. */
export interface CondRow {
  kind: CondKind
  not: boolean
  /** trait: its name; score: score | fit | engagement; subscribed: the topic; account: groupId */
  name: string
  /** trait: TRAIT_OPS; score: gte | lte; events: atLeast | fewerThan; lastSeen: within |
   * notWithin; account: in | none */
  op: string
  /** trait: the value; score and events: the number; role; segment id; list id; account grade */
  value: string
  /** grade: the grades that pass */
  grades: string[]
  type: string
  event: string
  url: string
  days: string
}

export interface SegmentModel {
  /** The saved segment being edited; '' for a new one. */
  id: string
  name: string
  key: string
  description: string
  browser: boolean
  match: 'all' | 'any'
  rows: CondRow[]
  /** Conditions as JSON text, when given (or when the form cannot show them). */
  advanced: string
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const DAYS = /^([1-9]\d{0,2})d$/

export function emptyRow(kind: CondKind): CondRow {
  const op: Partial<Record<CondKind, string>> = {
    trait: 'eq',
    score: 'gte',
    events: 'atLeast',
    lastSeen: 'within',
    account: 'in',
  }
  return {
    kind,
    not: false,
    name: kind === 'score' ? 'score' : '',
    op: op[kind] ?? '',
    value: kind === 'role' ? 'decision_maker' : kind === 'events' ? '1' : '',
    grades: [],
    type: '',
    event: '',
    url: '',
    days: kind === 'events' || kind === 'lastSeen' ? '30' : '',
  }
}

export function emptyModel(): SegmentModel {
  return {
    id: '',
    name: '',
    key: '',
    description: '',
    browser: false,
    match: 'all',
    rows: [],
    advanced: '',
  }
}

/** One condition back to a form row, or null when the form cannot show it. */
function rowOf(c: unknown): CondRow | null {
  if (!isObj(c) || Object.keys(c).length !== 1) return null
  if (isObj(c.not)) {
    const inner = rowOf(c.not)
    return inner && !inner.not ? { ...inner, not: true } : null
  }
  const [kind] = Object.keys(c) as [string]
  const v = c[kind]
  const row = (k: CondKind, fields: Partial<CondRow>): CondRow => ({ ...emptyRow(k), ...fields })
  if (kind === 'traits' && isObj(v) && Object.keys(v).length === 1) {
    const [name] = Object.keys(v) as [string]
    const t = traitRow(name, v[name])
    return t ? row('trait', { name: t.name, op: t.op, value: t.value }) : null
  }
  if ((kind === 'score' || kind === 'fit' || kind === 'engagement') && isObj(v)) {
    const keys = Object.keys(v)
    if (keys.length !== 1 || (keys[0] !== 'gte' && keys[0] !== 'lte')) return null
    return row('score', { name: kind, op: keys[0], value: str(v[keys[0]]) })
  }
  if (kind === 'grade') {
    const grades = Array.isArray(v) ? v : [v]
    return grades.every((g) => typeof g === 'string')
      ? row('grade', { grades: grades as string[] })
      : null
  }
  if (kind === 'subscribed' && typeof v === 'string') return row('subscribed', { name: v })
  if (kind === 'role' && typeof v === 'string') return row('role', { value: v })
  if (kind === 'segment' && typeof v === 'string') return row('segment', { value: v })
  if (kind === 'list' && typeof v === 'string') return row('list', { value: v })
  if (kind === 'lastSeen' && isObj(v)) {
    const op = 'within' in v ? 'within' : 'notWithin'
    const days = DAYS.exec(str(v[op]))
    return days && Object.keys(v).length === 1 ? row('lastSeen', { op, days: days[1]! }) : null
  }
  if (kind === 'account' && isObj(v)) {
    const keys = Object.keys(v)
    if (keys.some((k) => k !== 'exists' && k !== 'groupId' && k !== 'grade')) return null
    if (v.groupId !== undefined && typeof v.groupId !== 'string') return null
    if (v.grade !== undefined && typeof v.grade !== 'string') return null
    if (v.exists === false) {
      return keys.length === 1 ? row('account', { op: 'none' }) : null
    }
    if (v.exists !== undefined && v.exists !== true) return null
    return row('account', { op: 'in', name: str(v.groupId), value: str(v.grade) })
  }
  if (kind === 'events' && isObj(v) && isObj(v.match)) {
    const m = v.match
    if (Object.keys(m).some((k) => !['type', 'event', 'url'].includes(k))) return null
    if (Object.values(m).some((x) => typeof x !== 'string')) return null
    const days = DAYS.exec(str(v.within))
    const op = v.atLeast !== undefined ? 'atLeast' : 'fewerThan'
    if (!days || Object.keys(v).length !== 3) return null
    return row('events', {
      op,
      value: str(v[op]),
      type: str(m.type),
      event: str(m.event),
      url: str(m.url),
      days: days[1]!,
    })
  }
  return null
}

/** The builder's model of saved conditions; `advanced` JSON when the form cannot show them. */
export function toModel(seg: {
  id?: string
  name?: string
  key?: string
  description?: string | null
  browser?: boolean
  conditions: unknown
}): SegmentModel {
  const base = {
    ...emptyModel(),
    id: seg.id ?? '',
    name: seg.name ?? '',
    key: seg.key ?? '',
    description: seg.description ?? '',
    browser: seg.browser === true,
  }
  const c = seg.conditions
  const match = isObj(c) && Array.isArray(c.any) ? 'any' : 'all'
  const parts = isObj(c) && Array.isArray(c[match]) ? (c[match] as unknown[]) : [c]
  const rows = parts.map(rowOf)
  if (rows.length <= MAX_ROWS && rows.every((r) => r !== null))
    return { ...base, match, rows: rows as CondRow[] }
  return { ...base, advanced: JSON.stringify(c, null, 2) }
}

const one = (form: Form, key: string) => {
  const v = form[key]
  const first = Array.isArray(v) ? v[0] : v
  return typeof first === 'string' ? first.trim() : ''
}

/** The builder form back to a model (field names as the page writes them). */
export function fromForm(form: Form): SegmentModel {
  const count = Math.min(Number(one(form, 'rowCount')) || 0, MAX_ROWS)
  const rows = Array.from({ length: count }, (_, i): CondRow => {
    const p = `c${i}.`
    const v = (k: string) => one(form, p + k)
    const kind = (COND_KINDS as readonly string[]).includes(v('kind'))
      ? (v('kind') as CondKind)
      : 'trait'
    const grades = Object.keys(form)
      .filter((k) => k.startsWith(`${p}g.`) && one(form, k) === '1')
      .map((k) => k.slice(p.length + 2))
    return {
      kind,
      not: v('not') === '1',
      name: v('name'),
      op: v('op'),
      value: v('value'),
      grades,
      type: v('type'),
      event: v('event'),
      url: v('url'),
      days: v('days'),
    }
  })
  return {
    id: one(form, 'id'),
    name: one(form, 'name'),
    key: one(form, 'key'),
    description: one(form, 'description'),
    browser: one(form, 'browser') === '1',
    match: one(form, 'match') === 'any' ? 'any' : 'all',
    rows,
    advanced: one(form, 'advanced'),
  }
}

const days = (d: string) => `${d || 30}d`

/** One row's condition (its values checked by the schema when previewed or saved). */
function conditionOf(r: CondRow): Json {
  let c: Json
  switch (r.kind) {
    case 'trait': {
      const op = (TRAIT_OPS as readonly string[]).includes(r.op) ? (r.op as TraitOp) : 'eq'
      c = { traits: { [r.name]: traitTest({ name: r.name, op, value: r.value }) } }
      break
    }
    case 'score':
      c = {
        [(METRICS as readonly string[]).includes(r.name) ? r.name : 'score']: {
          [r.op === 'lte' ? 'lte' : 'gte']: numberOr(r.value),
        },
      }
      break
    case 'grade':
      c = { grade: r.grades.length === 1 ? r.grades[0]! : r.grades }
      break
    case 'events': {
      const match: Json = {}
      if (r.type) match.type = r.type
      if (r.event) match.event = r.event
      if (r.url) match.url = r.url
      const op = r.op === 'fewerThan' ? 'fewerThan' : 'atLeast'
      c = { events: { match, [op]: numberOr(r.value), within: days(r.days) } }
      break
    }
    case 'lastSeen':
      c = { lastSeen: { [r.op === 'notWithin' ? 'notWithin' : 'within']: days(r.days) } }
      break
    case 'subscribed':
      c = { subscribed: r.name }
      break
    case 'role':
      c = { role: r.value }
      break
    case 'account': {
      const a: Json = {}
      if (r.op === 'none') a.exists = false
      else {
        if (r.name) a.groupId = r.name
        if (r.value) a.grade = r.value
        if (!r.name && !r.value) a.exists = true
      }
      c = { account: a }
      break
    }
    case 'segment':
      c = { segment: r.value }
      break
    case 'list':
      c = { list: r.value }
      break
  }
  return r.not ? { not: c } : c
}

/** The model's conditions: the advanced JSON when given, else the rows combined. */
export function toConditions(m: SegmentModel): unknown {
  if (m.advanced) {
    try {
      return JSON.parse(m.advanced)
    } catch {
      return m.advanced // the schema check reports it
    }
  }
  return { [m.match]: m.rows.map(conditionOf) }
}

/** Applies a builder button (add a condition, delete one, switch to or from JSON). */
export function applyOp(m: SegmentModel, op: string): SegmentModel {
  const [verb, arg] = op.split(':')
  const rows = [...m.rows]
  if (verb === 'add' && (COND_KINDS as readonly string[]).includes(arg ?? '')) {
    if (rows.length < MAX_ROWS) rows.push(emptyRow(arg as CondKind))
  } else if (verb === 'delete') {
    const i = Number(arg)
    if (i >= 0 && i < rows.length) rows.splice(i, 1)
  } else if (verb === 'to-json') {
    return { ...m, advanced: JSON.stringify(toConditions(m), null, 2) }
  } else if (verb === 'to-form') {
    try {
      const back = toModel({ conditions: JSON.parse(m.advanced) })
      return back.advanced ? m : { ...m, match: back.match, rows: back.rows, advanced: '' }
    } catch {
      return m
    }
  }
  return { ...m, rows }
}
