/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ContactSort, ContactSummary } from '../../ports.js'
import type { ListView } from '../../lists/port.js'
import { ASC_FIRST, SEEN, queryString, type ContactFilters } from '../contacts-query.js'
import type { SavedView } from '../port.js'
import { companyName, contactLabel, traitText } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import { EmptyState } from '../views/empty.js'
import { gradeLabel } from '../views/grades.js'
import { Bulk } from './contacts-bulk.js'
import { When } from '../views/when.js'

export type { ContactFilters }

interface Score {
  fit: number
  engagement: number
  total: number
  grade: string | null
}

/** A text or number filter of the contacts form: its query name, message key and input hints. */
interface FieldSpec {
  name: keyof ContactFilters
  label: string
  size?: number
  placeholder?: string
}

/** The score, value, churn and ticket filters (after the grade). */
const SCORE_FIELDS: FieldSpec[] = [
  { name: 'scoreMin', label: 'contacts.scoreMin' },
  { name: 'scoreMax', label: 'contacts.scoreMax' },
  { name: 'ltvMin', label: 'contacts.ltvMin' },
  { name: 'churnMin', label: 'contacts.churnMin', placeholder: '0–100' },
  { name: 'ticketsMin', label: 'contacts.ticketsMin' },
]

/** The origin, subscription and trait filters (after last seen). */
const TEXT_FIELDS: FieldSpec[] = [
  { name: 'source', label: 'contacts.source', size: 12, placeholder: 'google' },
  { name: 'campaign', label: 'contacts.campaign', size: 12 },
  { name: 'topic', label: 'contacts.topic', size: 12, placeholder: 'newsletter' },
  { name: 'trait', label: 'contacts.trait', size: 12, placeholder: 'industry' },
  { name: 'value', label: 'contacts.equals', size: 12, placeholder: 'software' },
]

function Fields(props: { f: Fmt; filters: ContactFilters; fields: FieldSpec[] }) {
  return (
    <>
      {props.fields.map((field) => (
        <label>
          {props.f.t(field.label)}
          <input
            name={field.name}
            type="text"
            value={props.filters[field.name] ?? ''}
            size={field.size ?? 8}
            placeholder={field.placeholder}
          />
        </label>
      ))}
    </>
  )
}

/** Segments and lists to filter by (named, so the select can show them). */
export interface Audiences {
  segments: { id: string; name: string }[]
  lists: { id: string; name: string }[]
}

function AudienceSelect(props: { f: Fmt; filters: ContactFilters; audiences: Audiences }) {
  const { f, filters, audiences } = props
  if (!audiences.segments.length && !audiences.lists.length && !filters.segment) return null
  const known = [...audiences.segments, ...audiences.lists].some((a) => a.id === filters.segment)
  const group = (label: string, items: { id: string; name: string }[]) =>
    items.length ? (
      <optgroup label={label}>
        {items.map((a) => (
          <option value={a.id} selected={a.id === filters.segment}>
            {a.name}
          </option>
        ))}
      </optgroup>
    ) : null
  return (
    <label>
      {f.t('contacts.segment')}
      <select name="segment" id="filter-segment">
        <option value="">{f.t('contacts.any')}</option>
        {group(f.t('bulk.segments'), audiences.segments)}
        {group(f.t('bulk.lists'), audiences.lists)}
        {filters.segment && !known ? (
          <option value={filters.segment} selected>
            {filters.segment}
          </option>
        ) : null}
      </select>
    </label>
  )
}

/** The filters under "More filters": all but the search and the grade. */
const MORE: (keyof ContactFilters)[] = [
  ...SCORE_FIELDS.map((x) => x.name),
  'seen',
  ...TEXT_FIELDS.filter((x) => x.name !== 'value').map((x) => x.name),
  'segment',
]

function Filters(props: {
  f: Fmt
  filters: ContactFilters
  grades: string[]
  audiences: Audiences
}) {
  const { f, filters } = props
  const on = MORE.filter((k) => filters[k]).length
  return (
    <form class="filters card" method="get" action="/app/contacts" id="filters">
      <label>
        {f.t('contacts.search')}
        <input
          type="search"
          name="q"
          value={filters.q ?? ''}
          placeholder={f.t('contacts.searchHint')}
          size={18}
        />
      </label>
      <label>
        {f.t('col.grade')}
        <select name="grade">
          <option value="">{f.t('contacts.any')}</option>
          {props.grades.map((g) => (
            <option value={g} selected={g === filters.grade}>
              {gradeLabel(f.locale, g)}
            </option>
          ))}
        </select>
      </label>
      {/* On a phone the rest folds away (views/styles.ts), open when one of them is set, so the
          contacts are on the first screen; on a wider screen it is one row of fields as before. */}
      <details class="more" open={on > 0 || undefined}>
        <summary>
          {on > 0 ? f.t('contacts.moreFiltersOn', { n: on }) : f.t('contacts.moreFilters')}
        </summary>
        <div class="more-fields">
          <Fields f={f} filters={filters} fields={SCORE_FIELDS} />
          <label>
            {f.t('col.lastSeen')}
            <select name="seen">
              <option value="">{f.t('contacts.any')}</option>
              {SEEN.map((s) => (
                <option value={s} selected={s === filters.seen}>
                  {Number(s) > 0
                    ? f.t('contacts.seenWithin', { n: s })
                    : f.t('contacts.notSeenFor', { n: s.slice(1) })}
                </option>
              ))}
            </select>
          </label>
          <Fields f={f} filters={filters} fields={TEXT_FIELDS} />
          <AudienceSelect f={f} filters={filters} audiences={props.audiences} />
        </div>
      </details>
      {filters.account ? <input type="hidden" name="account" value={filters.account} /> : null}
      {filters.sort ? <input type="hidden" name="sort" value={filters.sort} /> : null}
      <div class="actions">
        <button class="primary" type="submit">
          {f.t('contacts.filter')}
        </button>
        <a href="/app/contacts">{f.t('contacts.clear')}</a>
      </div>
    </form>
  )
}

function Views(props: { f: Fmt; views: SavedView[]; filters: ContactFilters; csrf: string }) {
  const { f } = props
  const current = queryString({ ...props.filters }).slice(1)
  return (
    <section class="card" aria-labelledby="views-h">
      <h2 id="views-h">{f.t('contacts.views')}</h2>
      {props.views.length === 0 ? <p class="muted small">{f.t('contacts.noViews')}</p> : null}
      <ul class="views">
        {props.views.map((v) => (
          <li>
            <a
              href={`/app/contacts${v.query ? `?${v.query}` : ''}`}
              aria-current={v.query === current ? 'true' : undefined}
            >
              {v.name}
            </a>
            <form method="post" action={`/app/contacts/views/${v.id}/delete`} class="inline">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button
                type="submit"
                class="link"
                aria-label={f.t('contacts.deleteView', { name: v.name })}
              >
                ×
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/app/contacts/views" class="actions gap" id="save-view">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="query" value={current} />
        <label class="inline">
          {f.t('contacts.viewName')}
          <input name="name" required maxlength={80} size={16} />
        </label>
        <button type="submit">{f.t('contacts.saveView')}</button>
      </form>
    </section>
  )
}

function SortHeader(props: {
  f: Fmt
  label: string
  col: ContactSort
  filters: ContactFilters
  num?: boolean
}) {
  const cur = props.filters.sort ?? 'score'
  const on = cur.replace(/-asc$/, '') === props.col
  const asc = cur.endsWith('-asc')
  const ascFirst = ASC_FIRST.includes(props.col)
  // First click: the column's natural order (A→Z for text, highest first otherwise); again: reverse.
  const first = ascFirst ? `${props.col}-asc` : props.col
  const flipped = ascFirst ? props.col : `${props.col}-asc`
  const next = on && asc === ascFirst ? flipped : first
  const href = `/app/contacts${queryString({ ...props.filters, sort: next === 'score' ? undefined : next })}`
  return (
    <th
      class={props.num ? 'num' : ''}
      aria-sort={on ? (asc ? 'ascending' : 'descending') : undefined}
    >
      <a href={href} id={`sort-${props.col}`} title={props.f.t('sort.by', { column: props.label })}>
        {props.label}
        {/* no break before the arrow when a numeric header wraps (views/styles.ts) */}
        {'\u00a0'}
        {on ? (asc ? '↑' : '↓') : '↕'}
      </a>
    </th>
  )
}

/** A title for a value long enough to be cut with an ellipsis (td.name, td.clip). */
const long = (text: string) => (text.length > 18 ? text : undefined)

function Table(props: {
  f: Fmt
  contacts: ContactSummary[]
  top: string | null
  filters: ContactFilters
  /** The workspace's reporting currency; else each contact's latest deal or order currency. */
  currency: string | null
  currencies: Map<string, string>
}) {
  const { f, filters } = props
  const sort = (label: string, col: ContactSort, num?: boolean) => (
    <SortHeader f={f} label={label} col={col} filters={filters} num={num} />
  )
  return (
    <div class="scroll" tabindex={0}>
      <table id="contacts">
        <thead>
          <tr>
            <th>
              <span class="sr">{f.t('contacts.select')}</span>
            </th>
            {sort(f.t('col.contact'), 'name')}
            {sort(f.t('col.email'), 'email')}
            <th>{f.t('col.company')}</th>
            {sort(f.t('col.grade'), 'grade')}
            {sort(f.t('col.score'), 'score', true)}
            <th class="num">{f.t('col.fit')}</th>
            <th class="num">{f.t('col.engagement')}</th>
            {sort(f.t('label.lifetimeValue'), 'lifetimeValue', true)}
            {sort(f.t('label.churnRisk'), 'churnRisk', true)}
            {sort(f.t('col.firstSeen'), 'firstSeen')}
            {sort(f.t('col.lastSeen'), 'lastSeen')}
          </tr>
        </thead>
        <tbody>
          {props.contacts.map((c) => {
            const s = c.score as Score
            const name = contactLabel(c.traits, c.id, f)
            const email = traitText(c.traits.email)
            const company = companyName(c.traits)
            return (
              <tr data-id={c.id}>
                <td>
                  <input
                    type="checkbox"
                    name="ids"
                    value={c.id}
                    form="bulk"
                    aria-label={f.t('contacts.selectOne', { name })}
                  />
                </td>
                {/* long names, emails and companies end in an ellipsis (views/styles.ts), whole in
                    their title, so one long value does not push the dates out of the card */}
                <td class="name">
                  <a href={`/app/contacts/${c.id}`} title={long(name)}>
                    {name}
                  </a>
                </td>
                <td class="clip">
                  <span title={long(email)}>{email}</span>
                </td>
                <td class="clip short">
                  <span title={long(company)}>{company}</span>
                </td>
                <td>
                  <GradeBadge locale={f.locale} grade={s.grade} top={props.top} />
                </td>
                <td class="num" data-score={s.total}>
                  {f.num(s.total)}
                </td>
                <td class="num">{f.num(s.fit)}</td>
                <td class="num">{f.num(s.engagement)}</td>
                <td class="num ltv">
                  {f.moneyShort(
                    c.traits.lifetimeValue,
                    props.currency ?? props.currencies.get(c.id) ?? null,
                  )}
                </td>
                <td class="num">{f.num(c.traits.churnRisk)}</td>
                <td class="date" data-first-seen={c.firstSeen}>
                  <When f={f} at={c.firstSeen} />
                </td>
                <td class="date" data-last-seen={c.lastSeen}>
                  <When f={f} at={c.lastSeen} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

/** Contacts with filters, sortable columns, saved views, CSV export and bulk erase. */
export function ContactsBody(props: {
  f: Fmt
  csrf: string
  filters: ContactFilters
  grades: string[]
  views: SavedView[]
  contacts: ContactSummary[]
  next: string | null
  scanned: number
  windowFull: boolean
  paged: boolean
  canErase: boolean
  /** Viewers may not export (auth/permissions.ts): no links for them. */
  canExport: boolean
  /** Viewers may not change lists. */
  canAddToList: boolean
  lists: ListView[]
  audiences: Audiences
  currency: string | null
  currencies: Map<string, string>
  notice?: string
  /** A link shown after the notice (the list contacts were added to). */
  noticeLink?: { href: string; label: string }
  error?: string
}) {
  const { f, filters } = props
  const top = props.grades[props.grades.length - 1] ?? null
  const filtered = Object.keys(filters).some((k) => k !== 'sort')
  return (
    <>
      <h1>{f.t('nav.contacts')}</h1>
      {props.notice ? (
        <p class="ok" role="status" id="notice">
          {props.notice}{' '}
          {props.noticeLink ? (
            <a href={props.noticeLink.href} id="notice-link">
              {props.noticeLink.label}
            </a>
          ) : null}
        </p>
      ) : null}
      <Filters f={f} filters={filters} grades={props.grades} audiences={props.audiences} />
      {props.error ? (
        <p class="error" role="alert" id="filter-error">
          {props.error}
        </p>
      ) : null}
      <section class="card">
        <Bulk
          f={f}
          filters={filters}
          csrf={props.csrf}
          canErase={props.canErase}
          canExport={props.canExport}
          canAddToList={props.canAddToList}
          lists={props.lists}
        />
        {props.contacts.length === 0 ? (
          filtered || props.paged ? (
            <p class="muted" id="no-match">
              {props.windowFull
                ? f.t('contacts.noMatchWindow', { n: f.num(props.scanned) })
                : f.t('contacts.noMatch')}
            </p>
          ) : (
            <EmptyState
              f={f}
              title={f.t('contacts.empty.title')}
              body={f.t('contacts.empty.body')}
              href="/app/setup"
              action={f.t('contacts.empty.action')}
            />
          )
        ) : (
          <Table
            f={f}
            contacts={props.contacts}
            top={top}
            filters={filters}
            currency={props.currency}
            currencies={props.currencies}
          />
        )}
        <nav class="pager" aria-label={f.t('contacts.pages')}>
          {props.paged ? (
            <a href={`/app/contacts${queryString({ ...filters })}`}>{f.t('contacts.top')}</a>
          ) : null}
          {props.next ? (
            <a rel="next" href={`/app/contacts${queryString({ ...filters, cursor: props.next })}`}>
              {props.windowFull ? f.t('contacts.keepSearching') : f.t('contacts.next')}
            </a>
          ) : null}
        </nav>
      </section>
      <Views f={f} views={props.views} filters={filters} csrf={props.csrf} />
    </>
  )
}
