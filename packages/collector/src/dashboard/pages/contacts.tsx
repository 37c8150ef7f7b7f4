/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ContactSummary } from '../../ports.js'
import { SEEN, queryString, type ContactFilters } from '../contacts-query.js'
import type { SavedView } from '../port.js'
import { companyName, contactLabel, traitText } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import { EmptyState } from '../views/empty.js'

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

function Filters(props: { f: Fmt; filters: ContactFilters; grades: string[] }) {
  const { f, filters } = props
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
              {g}
            </option>
          ))}
        </select>
      </label>
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
      {/* Segment and account filters (issue 16) add their fields here. */}
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
  col: 'score' | 'lastSeen'
  filters: ContactFilters
  num?: boolean
}) {
  const cur = props.filters.sort ?? 'score'
  const on = cur.startsWith(props.col)
  const asc = cur.endsWith('-asc')
  const next = on && !asc ? `${props.col}-asc` : props.col
  const href = `/app/contacts${queryString({ ...props.filters, sort: next === 'score' ? undefined : next })}`
  return (
    <th
      class={props.num ? 'num' : ''}
      aria-sort={on ? (asc ? 'ascending' : 'descending') : undefined}
    >
      <a href={href} id={`sort-${props.col}`}>
        {props.label} {on ? (asc ? '↑' : '↓') : '↕'}
      </a>
    </th>
  )
}

function Table(props: {
  f: Fmt
  contacts: ContactSummary[]
  top: string | null
  filters: ContactFilters
}) {
  const { f } = props
  return (
    <div class="scroll" tabindex={0}>
      <table id="contacts">
        <thead>
          <tr>
            <th>
              <span class="sr">{f.t('contacts.select')}</span>
            </th>
            <th>{f.t('col.contact')}</th>
            <th>{f.t('col.email')}</th>
            <th>{f.t('col.company')}</th>
            <th>{f.t('col.grade')}</th>
            <SortHeader f={f} label={f.t('col.score')} col="score" filters={props.filters} num />
            <th class="num">{f.t('col.fit')}</th>
            <th class="num">{f.t('col.engagement')}</th>
            <th class="num">{f.t('label.lifetimeValue')}</th>
            <SortHeader f={f} label={f.t('col.lastSeen')} col="lastSeen" filters={props.filters} />
          </tr>
        </thead>
        <tbody>
          {props.contacts.map((c) => {
            const s = c.score as Score
            const name = contactLabel(c.traits, c.id, f)
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
                <td>
                  <a href={`/app/contacts/${c.id}`}>{name}</a>
                </td>
                <td>{traitText(c.traits.email)}</td>
                <td>{companyName(c.traits)}</td>
                <td>
                  <GradeBadge grade={s.grade} top={props.top} />
                </td>
                <td class="num" data-score={s.total}>
                  {f.num(s.total)}
                </td>
                <td class="num">{f.num(s.fit)}</td>
                <td class="num">{f.num(s.engagement)}</td>
                <td class="num">{f.num(c.traits.lifetimeValue, 2)}</td>
                <td data-last-seen={c.lastSeen}>{f.dateTime(c.lastSeen)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function Bulk(props: {
  f: Fmt
  filters: ContactFilters
  csrf: string
  canErase: boolean
  canExport: boolean
}) {
  const { f } = props
  const q = queryString({ ...props.filters })
  return (
    <div class="actions bulk">
      {props.canExport ? (
        <>
          <a class="button" id="export" href={`/app/contacts/export.csv${q}`}>
            {f.t('contacts.export')}
          </a>
          <a
            class="button"
            id="export-excel"
            href={`/app/contacts/export.csv${queryString({ ...props.filters, bom: '1' })}`}
          >
            {f.t('contacts.exportExcel')}
          </a>
        </>
      ) : null}
      {props.canErase ? (
        <form method="post" action="/app/contacts/erase" id="bulk" class="actions">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label class="inline">
            <input type="checkbox" name="confirm" value="1" required />
            {f.t('contacts.eraseConfirm')}
          </label>
          <button type="submit" class="danger">
            {f.t('contacts.erase')}
          </button>
        </form>
      ) : null}
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
  notice?: string
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
          {props.notice}
        </p>
      ) : null}
      <Filters f={f} filters={filters} grades={props.grades} />
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
          <Table f={f} contacts={props.contacts} top={top} filters={filters} />
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
