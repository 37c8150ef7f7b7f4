/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Pieces of the contact profile: values shown for people (labels, money, dates), the lifecycle
// panel and the timeline.
import { STORED_COMPUTED_TRAITS as STORED } from '@lodestone/lifecycle'
import type { LifecycleItem } from '../port.js'
import { humanLabel, traitText } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { When } from '../views/when.js'

export const COMPUTED = new Set<string>(STORED)
const MONEY = new Set([
  'lifetimeValue',
  'totalRevenue',
  'averageOrderValue',
  'dealsWonAmount',
  'dealsLostAmount',
  'revenue',
  'amount',
  'value',
  'price',
  'total',
])
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** One value as a person reads it: money with its currency, dates in the workspace zone. */
export function showValue(f: Fmt, key: string, v: unknown, currency?: string | null): string {
  if (v === null || v === undefined || v === '') return '–'
  if (typeof v === 'number') {
    if (MONEY.has(key)) return f.money(v, currency)
    if (key === 'churnRisk') return `${f.num(v, 0)} / 100`
    return f.num(v, 2)
  }
  if (typeof v === 'boolean') return f.t(v ? 'value.yes' : 'value.no')
  if (typeof v === 'string' && ISO.test(v)) return f.dateTime(v)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((x) => showValue(f, key, x, currency)).join(', ')
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${humanLabel(k, f)}: ${showValue(f, k, x, currency)}`)
      .join(' · ')
  return traitText(v)
}

/** Name → value pairs with human labels. */
export function Pairs(props: {
  f: Fmt
  data: Record<string, unknown> | null
  empty: string
  currency?: string | null
  id?: string
}) {
  const entries = Object.entries(props.data ?? {})
  if (entries.length === 0) return <p class="muted">{props.empty}</p>
  return (
    <dl id={props.id}>
      {entries.map(([k, v]) => (
        <>
          <dt title={k}>{humanLabel(k, props.f)}</dt>
          <dd>{showValue(props.f, k, v, props.currency)}</dd>
        </>
      ))}
    </dl>
  )
}

const KIND_OF: Record<string, string> = {
  'Deal Created': 'deals',
  'Deal Won': 'deals',
  'Deal Lost': 'deals',
  'Order Completed': 'orders',
  'Ticket Created': 'tickets',
  'Ticket Resolved': 'tickets',
  'Survey Responded': 'surveys',
}

/** What a lifecycle event is about in one line: amount, subject, rating. */
function lifecycleDetail(f: Fmt, e: LifecycleItem): string {
  const p = e.properties
  const cur = typeof p.currency === 'string' ? p.currency : null
  const parts: string[] = []
  const amount = p.amount ?? p.revenue ?? p.total ?? p.value
  if (typeof amount === 'number') parts.push(f.money(amount, cur))
  for (const k of ['name', 'subject', 'orderId', 'dealId', 'ticketId', 'reason', 'status'])
    if (typeof p[k] === 'string' || typeof p[k] === 'number')
      parts.push(`${humanLabel(k, f)}: ${p[k]}`)
  for (const k of ['score', 'rating', 'nps', 'csat', 'ces'])
    if (typeof p[k] === 'number') parts.push(`${humanLabel(k, f)}: ${f.num(p[k])}`)
  return parts.join(' · ')
}

/** Deals, orders, tickets and surveys, one table each kind. */
export function LifecyclePanel(props: { f: Fmt; items: LifecycleItem[] }) {
  const { f } = props
  if (props.items.length === 0) return <p class="muted">{f.t('contact.noLifecycle')}</p>
  const kinds = ['deals', 'orders', 'tickets', 'surveys']
  return (
    <div class="panel-grid" id="lifecycle">
      {kinds.map((kind) => {
        const rows = props.items.filter((e) => KIND_OF[e.event] === kind)
        return (
          <div>
            <h3>{`${f.t(`contact.kind.${kind}`)} (${f.num(rows.length)})`}</h3>
            {rows.length === 0 ? (
              <p class="muted small">–</p>
            ) : (
              <ul class="feed">
                {rows.slice(0, 10).map((e) => (
                  <li>
                    <When f={f} at={e.at} />
                    <strong>{f.t(`event.${e.event}`)}</strong> <span>{lifecycleDetail(f, e)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      })}
    </div>
  )
}

/** The kind of a timeline event, for its filter. */
export function eventKind(e: Record<string, unknown>): string {
  if (e.type === 'page' || e.type === 'screen') return 'pages'
  if (e.type === 'identify' || e.type === 'alias' || e.type === 'group') return 'identity'
  const name = typeof e.event === 'string' ? e.event : ''
  if (KIND_OF[name]) return 'lifecycle'
  if (/form|submitted|signed up|registered/i.test(name)) return 'forms'
  return 'events'
}

export const EVENT_KINDS = ['pages', 'forms', 'events', 'lifecycle', 'identity'] as const

/** The details of one timeline event: where (URL), what (name, fields, amount, subject). */
export function eventDetails(
  f: Fmt,
  e: Record<string, unknown>,
): { title: string; url: string; detail: string } {
  const ctx = (e.context ?? {}) as { page?: { url?: unknown; path?: unknown } }
  const props = (e.properties ?? {}) as Record<string, unknown>
  const url = traitText(props.url ?? ctx.page?.url ?? props.path ?? ctx.page?.path ?? '')
  let title = ''
  if (e.type === 'track') title = traitText(e.event)
  else if (e.type === 'page' || e.type === 'screen')
    title = traitText(e.name) || traitText(props.title) || f.t('timeline.pageView')
  else if (e.type === 'identify') title = f.t('timeline.identify')
  else title = traitText(e.type)
  const cur = typeof props.currency === 'string' ? props.currency : null
  const parts: string[] = []
  if (e.type === 'identify')
    parts.push(
      Object.keys((e.traits ?? {}) as object)
        .map((k) => humanLabel(k, f))
        .join(', '),
    )
  else
    for (const [k, v] of Object.entries(props)) {
      if (
        k === 'url' ||
        k === 'path' ||
        k === 'title' ||
        k === 'referrer' ||
        k === 'search' ||
        k === 'currency'
      )
        continue
      if (v === null || v === undefined || v === '') continue
      parts.push(`${humanLabel(k, f)}: ${showValue(f, k, v, cur)}`)
      if (parts.length >= 8) break
    }
  const detail = parts.join(' · ')
  return { title, url, detail: detail.length > 400 ? `${detail.slice(0, 400)}…` : detail }
}
