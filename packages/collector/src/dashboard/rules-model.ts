// The visual rule builder's model: a rules document ↔ the builder form's fields, and a stable
// JSON serialisation (documented key order, so a saved document reads the same every time).
// Conditions the form cannot express (anyOf, regex, property tests…) travel as JSON text in
// the rule's "advanced conditions" field, untouched.

type Json = Record<string, unknown>
type Form = Record<string, string | string[] | undefined>

export const TRAIT_OPS = ['eq', 'in', 'gte', 'lte', 'containsWord', 'exists'] as const
export type TraitOp = (typeof TRAIT_OPS)[number]
export const TRAIT_ROWS = 3

export interface TraitRow {
  name: string
  op: TraitOp
  value: string
}

/** One rule as the builder shows it. `advanced` holds conditions the form cannot express. */
export interface RuleModel {
  id: string
  name: string
  description: string
  kind: 'fit' | 'engagement'
  enabled: boolean
  points: string
  type: string
  event: string
  url: string
  countAtLeast: string
  countDays: string
  traits: TraitRow[]
  capOnce: boolean
  capPerDay: string
  capPerWeek: string
  advanced: string
}

export interface RulesModel {
  halfLifeDays: string
  grades: { name: string; min: string }[]
  rules: RuleModel[]
  /** Document keys the builder does not edit (e.g. `version`), kept as they were. */
  extra: Json
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)

/** A trait test as a builder row, or null when the form cannot show it. */
export function traitRow(name: string, test: unknown): TraitRow | null {
  if (typeof test === 'string' || typeof test === 'number' || typeof test === 'boolean')
    return { name, op: 'eq', value: String(test) }
  if (Array.isArray(test) && test.every((x) => typeof x === 'string' || typeof x === 'number'))
    return { name, op: 'in', value: test.join(', ') }
  if (!isObj(test)) return null
  const keys = Object.keys(test)
  if (keys.length !== 1) return null
  const [k] = keys as [string]
  const v = test[k]
  if ((k === 'gte' || k === 'lte') && typeof v === 'number')
    return { name, op: k, value: String(v) }
  if (k === 'exists' && v === true) return { name, op: 'exists', value: '' }
  if (k === 'containsWord' && Array.isArray(v) && v.every((x) => typeof x === 'string'))
    return { name, op: 'containsWord', value: v.join(', ') }
  return null
}

/** The form fields of a rule's conditions, or null (advanced) when it has more than they say. */
function simpleConditions(kind: string, c: unknown): Partial<RuleModel> | null {
  if (!isObj(c)) return null
  if (kind === 'fit') {
    const keys = Object.keys(c)
    if (keys.length !== 1 || keys[0] !== 'traits' || !isObj(c.traits)) return null
    const rows = Object.entries(c.traits).map(([n, t]) => traitRow(n, t))
    if (rows.length > TRAIT_ROWS || rows.some((r) => r === null)) return null
    return { traits: rows as TraitRow[] }
  }
  const allowed = new Set(['type', 'event', 'url', 'count'])
  if (Object.keys(c).some((k) => !allowed.has(k))) return null
  if (c.type !== undefined && typeof c.type !== 'string') return null
  if (c.event !== undefined && typeof c.event !== 'string') return null
  if (c.url !== undefined && typeof c.url !== 'string') return null
  let countAtLeast = ''
  let countDays = ''
  if (c.count !== undefined) {
    const n = c.count as Json
    const days = /^([1-9]\d{0,2})d$/.exec(str(n.within))
    if (!isObj(n) || Object.keys(n).some((k) => k !== 'atLeast' && k !== 'within') || !days)
      return null
    countAtLeast = str(n.atLeast)
    countDays = days[1]!
  }
  return { type: str(c.type), event: str(c.event), url: str(c.url), countAtLeast, countDays }
}

function ruleModel(r: Json): RuleModel {
  const kind = r.kind === 'fit' ? 'fit' : 'engagement'
  const caps = isObj(r.caps) ? r.caps : {}
  const simple = simpleConditions(kind, r.conditions)
  return {
    id: str(r.id),
    name: str(r.name),
    description: str(r.description),
    kind,
    enabled: r.enabled !== false,
    points: str(r.points),
    type: '',
    event: '',
    url: '',
    countAtLeast: '',
    countDays: '',
    traits: [],
    capOnce: caps.once === true,
    capPerDay: str(caps.perDay),
    capPerWeek: str(caps.perWeek),
    advanced: simple ? '' : JSON.stringify(r.conditions ?? {}, null, 2),
    ...(simple ?? {}),
  }
}

/** The builder's model of a (valid) rules document. */
export function toModel(doc: unknown): RulesModel {
  const d = isObj(doc) ? doc : {}
  const extra: Json = {}
  for (const [k, v] of Object.entries(d))
    if (k !== 'halfLifeDays' && k !== 'grades' && k !== 'rules') extra[k] = v
  return {
    halfLifeDays: d.halfLifeDays === null ? '' : str(d.halfLifeDays),
    grades: (Array.isArray(d.grades) ? d.grades : []).map((g: Json) => ({
      name: str(g.name),
      min: str(g.min),
    })),
    rules: (Array.isArray(d.rules) ? d.rules : []).map((r) => ruleModel(r as Json)),
    extra,
  }
}

const one = (form: Form, key: string) => {
  const v = form[key]
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? ''
}

export const numberOr = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s)
const list = (s: string) =>
  s
    .split(/[,，]/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The builder form back to a model (field names as the page writes them). */
export function fromForm(form: Form): RulesModel {
  const count = Number(one(form, 'ruleCount')) || 0
  const gradeCount = Number(one(form, 'gradeCount')) || 0
  let extra: Json = {}
  try {
    const parsed = JSON.parse(one(form, 'extra') || '{}')
    if (isObj(parsed)) extra = parsed
  } catch {
    extra = {}
  }
  return {
    halfLifeDays: one(form, 'halfLifeDays'),
    extra,
    grades: Array.from({ length: Math.min(gradeCount, 50) }, (_, j) => ({
      name: one(form, `g${j}.name`),
      min: one(form, `g${j}.min`),
    })),
    rules: Array.from({ length: Math.min(count, 500) }, (_, i) => {
      const p = `r${i}.`
      const v = (k: string) => one(form, p + k)
      return {
        id: v('id'),
        name: v('name'),
        description: v('description'),
        kind: v('kind') === 'fit' ? 'fit' : 'engagement',
        enabled: v('enabled') === '1',
        points: v('points'),
        type: v('type'),
        event: v('event'),
        url: v('url'),
        countAtLeast: v('countAtLeast'),
        countDays: v('countDays'),
        traits: Array.from({ length: TRAIT_ROWS }, (_, k) => ({
          name: v(`t${k}.name`),
          op: (TRAIT_OPS as readonly string[]).includes(v(`t${k}.op`))
            ? (v(`t${k}.op`) as TraitOp)
            : 'eq',
          value: v(`t${k}.value`),
        })).filter((t) => t.name),
        capOnce: v('capOnce') === '1',
        capPerDay: v('capPerDay'),
        capPerWeek: v('capPerWeek'),
        advanced: v('advanced'),
      }
    }),
  }
}

/** A builder row's trait test, as the condition language writes it. */
export function traitTest(t: TraitRow): unknown {
  switch (t.op) {
    case 'in':
      return list(t.value).map(numberOr)
    case 'gte':
    case 'lte':
      return { [t.op]: numberOr(t.value) }
    case 'containsWord':
      return { containsWord: list(t.value) }
    case 'exists':
      return { exists: true }
    default:
      return numberOr(t.value)
  }
}

/** A rule's conditions from the model: the advanced JSON when given, else the form fields. */
function conditions(r: RuleModel): unknown {
  if (r.advanced) {
    try {
      return JSON.parse(r.advanced)
    } catch {
      return r.advanced // the schema check reports it on the rule's conditions
    }
  }
  if (r.kind === 'fit')
    return { traits: Object.fromEntries(r.traits.map((t) => [t.name, traitTest(t)])) }
  const c: Json = {}
  if (r.type) c.type = r.type
  if (r.event) c.event = r.event
  if (r.url) c.url = r.url
  if (r.countAtLeast || r.countDays)
    c.count = { atLeast: numberOr(r.countAtLeast), within: `${r.countDays || 30}d` }
  return c
}

/** The rules document of a model, keys in the documented order (a stable serialisation). */
export function toDoc(m: RulesModel): Json {
  const rules = m.rules.map((r) => {
    const out: Json = { id: r.id, name: r.name }
    if (r.description) out.description = r.description
    out.kind = r.kind
    if (!r.enabled) out.enabled = false
    out.points = numberOr(r.points)
    out.conditions = conditions(r)
    if (r.kind === 'engagement' && (r.capOnce || r.capPerDay || r.capPerWeek)) {
      const caps: Json = {}
      if (r.capOnce) caps.once = true
      if (r.capPerDay) caps.perDay = numberOr(r.capPerDay)
      if (r.capPerWeek) caps.perWeek = numberOr(r.capPerWeek)
      out.caps = caps
    }
    return out
  })
  return {
    ...m.extra,
    halfLifeDays: m.halfLifeDays === '' ? null : numberOr(m.halfLifeDays),
    grades: m.grades.map((g, j) =>
      j === 0 || g.min === '' ? { name: g.name } : { name: g.name, min: numberOr(g.min) },
    ),
    rules,
  }
}

/** A new rule of a kind, with an id not yet used. */
export function newRule(m: RulesModel, kind: 'fit' | 'engagement'): RuleModel {
  const used = new Set(m.rules.map((r) => r.id))
  let n = m.rules.length + 1
  while (used.has(`rule-${n}`)) n++
  return {
    ...ruleModel({ id: `rule-${n}`, name: '', kind, points: 10, conditions: {} }),
    advanced: '',
  }
}

/** Applies a builder button (add, move, delete) to the model; unknown ops change nothing. */
export function applyOp(m: RulesModel, op: string): RulesModel {
  const rules = [...m.rules]
  const grades = [...m.grades]
  const [verb, arg] = op.split(':')
  const i = Number(arg)
  if (verb === 'add-fit' || verb === 'add-engagement')
    rules.push(newRule(m, verb === 'add-fit' ? 'fit' : 'engagement'))
  else if (verb === 'up' && i > 0 && i < rules.length)
    [rules[i - 1], rules[i]] = [rules[i]!, rules[i - 1]!]
  else if (verb === 'down' && i >= 0 && i < rules.length - 1)
    [rules[i], rules[i + 1]] = [rules[i + 1]!, rules[i]!]
  else if (verb === 'delete' && i >= 0 && i < rules.length) rules.splice(i, 1)
  else if (verb === 'add-grade') grades.push({ name: '', min: '' })
  else if (verb === 'delete-grade' && i > 0 && i < grades.length) grades.splice(i, 1)
  return { ...m, rules, grades }
}
