import type { AdCost } from './costs.js'
import { cents, toReporting, type MoneySettings } from './money.js'

export type Attribution = 'first' | 'last'
export const ATTRIBUTIONS: readonly Attribution[] = ['first', 'last']
export type CampaignGroup = 'campaign' | 'source' | 'medium'
export const CAMPAIGN_GROUPS: readonly CampaignGroup[] = ['campaign', 'source', 'medium']

/** What counts as an acquisition for CPA: a grade first reached, a segment entered, or an event. */
export type Conversion =
  | { kind: 'grade'; grade: string }
  | { kind: 'segment'; segmentId: string }
  | { kind: 'event'; event: string }

/**
 * A conversion from its query form: `grade:hot`, `segment:seg_1`, `event:Demo Requested`.
 * @example parseConversion('grade:hot') // { kind: 'grade', grade: 'hot' }
 */
export function parseConversion(v: string): Conversion | null {
  const at = v.indexOf(':')
  const kind = v.slice(0, at)
  const value = v.slice(at + 1).trim()
  if (at < 0 || !value || value.length > 200) return null
  if (kind === 'grade') return { kind, grade: value }
  if (kind === 'segment') return { kind, segmentId: value }
  if (kind === 'event') return { kind, event: value }
  return null
}

export const conversionText = (c: Conversion) =>
  c.kind === 'grade'
    ? `grade:${c.grade}`
    : c.kind === 'segment'
      ? `segment:${c.segmentId}`
      : `event:${c.event}`

/** UTM parameters as Segment's `context.campaign` holds them. */
export interface CampaignRef {
  name?: string
  source?: string
  medium?: string
}

export interface CampaignInputs {
  /** Every event carrying `context.campaign`, up to the end of the range. */
  touches: { contactId: string; at: Date; campaign: CampaignRef }[]
  /** Live contacts first seen up to the end of the range, with their first touch's campaign. */
  contacts: { id: string; firstSeen: Date; firstCampaign: CampaignRef | null }[]
  /** When each contact first reached each grade (score history). */
  gradesReached: { contactId: string; grade: string; at: Date }[]
  /** Deal Won and Order Completed events in the range. */
  sales: { contactId: string; event: string; at: Date; properties: Record<string, unknown> }[]
  /** Conversion events (segment entered or the chosen event) in the range. */
  conversionEvents: { contactId: string; at: Date }[]
  /** Imported ad cost per campaign and day. */
  costs: AdCost[]
}

/** What a campaign report is asked for. */
export interface CampaignQuery {
  from: Date
  to: Date
  attribution: Attribution
  groupBy: CampaignGroup
  conversion: Conversion | null
  /** The grades to count (the scoring rules' grades, lowest first). */
  grades: readonly string[]
}

export interface CampaignRow {
  /** The campaign name (or source, or medium); `(none)` for contacts without a campaign. */
  key: string
  visitors: number
  newContacts: number
  /** Contacts first reaching each grade in the range. */
  grades: Record<string, number>
  dealsWon: number
  dealsWonAmount: number
  revenue: number
  conversions: number
  cost: number | null
  impressions: number | null
  clicks: number | null
  /** Clicks ÷ impressions, in per cent. */
  ctr: number | null
  /** Cost ÷ clicks. */
  cpc: number | null
  /** Cost ÷ conversions. */
  cpa: number | null
  /** Revenue ÷ cost. */
  roas: number | null
}

export interface CampaignReport {
  from: string
  to: string
  attribution: Attribution
  groupBy: CampaignGroup
  conversion: string | null
  currency: string | null
  grades: string[]
  rows: CampaignRow[]
  totals: CampaignRow
  /** Sales and costs left out because their currency has no exchange rate. */
  unconverted: { sales: number; costs: number }
}

export const NONE = '(none)'
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)

const ratio = (a: number, b: number | null, scale = 1, digits = 2) =>
  b ? Math.round((a / b) * scale * 10 ** digits) / 10 ** digits : null

function emptyRow(key: string, grades: readonly string[]): CampaignRow {
  const g: Record<string, number> = Object.create(null)
  for (const name of grades) g[name] = 0
  return {
    key,
    visitors: 0,
    newContacts: 0,
    grades: g,
    dealsWon: 0,
    dealsWonAmount: 0,
    revenue: 0,
    conversions: 0,
    cost: null,
    impressions: null,
    clicks: null,
    ctr: null,
    cpc: null,
    cpa: null,
    roas: null,
  }
}

/** Fills CTR, CPC, CPA and ROAS from the row's sums. */
function finish(row: CampaignRow, withConversion: boolean): CampaignRow {
  row.dealsWonAmount = cents(row.dealsWonAmount)
  row.revenue = cents(row.revenue)
  if (row.cost !== null) {
    row.cost = cents(row.cost)
    row.ctr = ratio(row.clicks ?? 0, row.impressions, 100)
    row.cpc = ratio(row.cost, row.clicks)
    row.cpa = withConversion ? ratio(row.cost, row.conversions) : null
    row.roas = ratio(row.revenue, row.cost)
  }
  return row
}

/**
 * Marketing performance per campaign, source or medium over a range (docs/lifecycle.md,
 * "Campaign report"). Visitors count every contact with a campaign touch in the range under
 * that touch's campaign. New contacts, grades reached, deals, revenue and conversions are
 * attributed to one campaign per contact: its first touch (the campaign of the contact's first
 * recorded page, `(none)` without one), or its last touch (the latest event carrying a campaign
 * at or before the moment counted). Ad cost is imported per campaign name, so cost, CTR, CPC,
 * CPA and ROAS are shown when grouping by campaign.
 */
export function campaignReport(
  input: CampaignInputs,
  opts: CampaignQuery & { money: MoneySettings },
): CampaignReport {
  const { from, to } = opts
  const inRange = (t: Date) => t >= from && t <= to
  const field = opts.groupBy === 'campaign' ? 'name' : opts.groupBy
  const keyOf = (c: CampaignRef | null | undefined) => text(c?.[field]) ?? NONE
  const rows = new Map<string, CampaignRow>()
  const row = (key: string) => {
    let r = rows.get(key)
    if (!r) rows.set(key, (r = emptyRow(key, opts.grades)))
    return r
  }

  // Touches per contact, oldest first, for last-touch lookups.
  const touches = new Map<string, { at: number; campaign: CampaignRef }[]>()
  const visitors = new Map<string, Set<string>>()
  for (const t of input.touches) {
    const list = touches.get(t.contactId) ?? []
    list.push({ at: t.at.getTime(), campaign: t.campaign })
    touches.set(t.contactId, list)
    if (inRange(t.at)) {
      const key = keyOf(t.campaign)
      const seen = visitors.get(key) ?? new Set<string>()
      seen.add(t.contactId)
      visitors.set(key, seen)
    }
  }
  for (const list of touches.values()) list.sort((a, b) => a.at - b.at)
  for (const [key, seen] of visitors) row(key).visitors = seen.size

  const first = new Map(input.contacts.map((c) => [c.id, c.firstCampaign]))
  const attribute = (contactId: string, at: Date): string => {
    if (opts.attribution === 'first') return keyOf(first.get(contactId))
    const list = touches.get(contactId)
    let found: CampaignRef | null = null
    for (const t of list ?? []) {
      if (t.at > at.getTime()) break
      found = t.campaign
    }
    return keyOf(found)
  }

  for (const c of input.contacts) {
    if (inRange(c.firstSeen)) row(attribute(c.id, c.firstSeen)).newContacts++
  }
  for (const g of input.gradesReached) {
    if (!inRange(g.at) || !opts.grades.includes(g.grade)) continue
    const r = row(attribute(g.contactId, g.at))
    r.grades[g.grade] = (r.grades[g.grade] ?? 0) + 1
  }

  // Sales: a deal or order counts once, by its latest event (docs/lifecycle.md).
  const latest = new Map<string, CampaignInputs['sales'][number]>()
  for (const s of input.sales) {
    if (!inRange(s.at)) continue
    const id = s.event === 'Deal Won' ? s.properties.dealId : s.properties.orderId
    const key = `${s.event}\u001f${s.contactId}\u001f${String(id)}`
    const prev = latest.get(key)
    if (!prev || prev.at <= s.at) latest.set(key, s)
  }
  let unconvertedSales = 0
  for (const s of latest.values()) {
    const p = s.properties
    const raw = s.event === 'Deal Won' ? p.amount : (p.revenue ?? p.total)
    const amount = toReporting(Number(raw), p.currency, opts.money)
    const r = row(attribute(s.contactId, s.at))
    if (s.event === 'Deal Won') r.dealsWon++
    if (amount === null) {
      unconvertedSales++
      continue
    }
    if (s.event === 'Deal Won') r.dealsWonAmount += amount
    r.revenue += amount
  }

  // Conversions: each contact once, at its first conversion in the range.
  const converted = new Map<string, Date>()
  const conversionTimes =
    opts.conversion?.kind === 'grade'
      ? input.gradesReached
          .filter((g) => g.grade === (opts.conversion as { grade: string }).grade)
          .map((g) => ({ contactId: g.contactId, at: g.at }))
      : opts.conversion
        ? input.conversionEvents
        : []
  for (const c of conversionTimes) {
    if (!inRange(c.at)) continue
    const prev = converted.get(c.contactId)
    if (!prev || c.at < prev) converted.set(c.contactId, c.at)
  }
  for (const [contactId, at] of converted) row(attribute(contactId, at)).conversions++

  let unconvertedCosts = 0
  if (opts.groupBy === 'campaign') {
    const fromDay = from.toISOString().slice(0, 10)
    const toDay = to.toISOString().slice(0, 10)
    for (const c of input.costs) {
      if (c.day < fromDay || c.day > toDay) continue
      const cost = toReporting(c.cost, c.currency, opts.money)
      const r = row(c.campaign)
      r.impressions = (r.impressions ?? 0) + c.impressions
      r.clicks = (r.clicks ?? 0) + c.clicks
      if (cost === null) unconvertedCosts++
      r.cost = (r.cost ?? 0) + (cost ?? 0)
    }
  }

  const withConversion = opts.conversion !== null
  const totals = emptyRow('total', opts.grades)
  const out = [...rows.values()]
  for (const r of out) {
    totals.visitors += r.visitors
    totals.newContacts += r.newContacts
    for (const g of opts.grades) totals.grades[g] = (totals.grades[g] ?? 0) + (r.grades[g] ?? 0)
    totals.dealsWon += r.dealsWon
    totals.dealsWonAmount += r.dealsWonAmount
    totals.revenue += r.revenue
    totals.conversions += r.conversions
    if (r.cost !== null) {
      totals.cost = (totals.cost ?? 0) + r.cost
      totals.impressions = (totals.impressions ?? 0) + (r.impressions ?? 0)
      totals.clicks = (totals.clicks ?? 0) + (r.clicks ?? 0)
    }
    finish(r, withConversion)
  }
  out.sort((a, b) => b.revenue - a.revenue || b.visitors - a.visitors || a.key.localeCompare(b.key))
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    attribution: opts.attribution,
    groupBy: opts.groupBy,
    conversion: opts.conversion ? conversionText(opts.conversion) : null,
    currency: opts.money.currency ?? null,
    grades: [...opts.grades],
    rows: out,
    totals: finish(totals, withConversion),
    unconverted: { sales: unconvertedSales, costs: unconvertedCosts },
  }
}
