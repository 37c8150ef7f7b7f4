/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ContactSummary } from '../../ports.js'
import { companyName, contactLabel, points, query, traitText, when } from '../views/format.js'
import { GradeBadge } from '../views/layout.js'

export interface ContactFilters {
  q?: string
  grade?: string
  trait?: string
  value?: string
  topic?: string
}

interface Score {
  fit: number
  engagement: number
  total: number
  grade: string | null
}

/** Contacts ranked by total score, with search, filters and keyset pagination. */
export function ContactsBody(props: {
  filters: ContactFilters
  grades: string[]
  contacts: ContactSummary[]
  next: string | null
  scanned: number
  windowFull: boolean
  paged: boolean
  error?: string
  /** Roles that may export see the export link (auth/permissions.ts). */
  canExport?: boolean
}) {
  const f = props.filters
  const top = props.grades[props.grades.length - 1] ?? null
  const filterQuery = { q: f.q, grade: f.grade, trait: f.trait, value: f.value, topic: f.topic }
  return (
    <>
      <h1>Contacts</h1>
      {props.canExport ? (
        <p>
          <a id="export" href="/v1/contacts/export?format=csv">
            Export CSV
          </a>
        </p>
      ) : null}
      <form class="filters" method="get" action="/app/contacts">
        <label>
          Search (email or name)
          <input type="search" name="q" value={f.q ?? ''} placeholder="ada@ or Lovelace" />
        </label>
        <label>
          Grade
          <select name="grade">
            <option value="">any</option>
            {props.grades.map((g) => (
              <option value={g} selected={g === f.grade}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trait
          <input name="trait" value={f.trait ?? ''} placeholder="industry" size={12} />
        </label>
        <label>
          equals
          <input name="value" value={f.value ?? ''} placeholder="software" size={12} />
        </label>
        <label>
          Subscribed to
          <input name="topic" value={f.topic ?? ''} placeholder="newsletter" size={12} />
        </label>
        <button class="primary" type="submit">
          Filter
        </button>
        <a href="/app/contacts">Clear</a>
      </form>
      {props.error ? <p class="error">{props.error}</p> : null}
      <section class="card">
        {props.contacts.length === 0 ? (
          <p class="muted">
            {props.windowFull
              ? `No match among the next ${props.scanned} contacts by score.`
              : 'No contacts match.'}
          </p>
        ) : (
          <table id="contacts">
            <thead>
              <tr>
                <th>Contact</th>
                <th>Email</th>
                <th>Company</th>
                <th>Grade</th>
                <th class="num">Score</th>
                <th class="num">Fit</th>
                <th class="num">Engagement</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {props.contacts.map((c) => {
                const s = c.score as Score
                return (
                  <tr>
                    <td>
                      <a href={`/app/contacts/${c.id}`}>{contactLabel(c.traits, c.id)}</a>
                    </td>
                    <td>{traitText(c.traits.email)}</td>
                    <td>{companyName(c.traits)}</td>
                    <td>
                      <GradeBadge grade={s.grade} top={top} />
                    </td>
                    <td class="num">{points(s.total)}</td>
                    <td class="num">{points(s.fit)}</td>
                    <td class="num">{points(s.engagement)}</td>
                    <td>{when(c.lastSeen)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
        <nav class="pager">
          {props.paged ? <a href={`/app/contacts${query(filterQuery)}`}>« Top</a> : null}
          {props.next ? (
            <a rel="next" href={`/app/contacts${query({ ...filterQuery, cursor: props.next })}`}>
              {props.windowFull ? 'Keep searching »' : 'Next »'}
            </a>
          ) : null}
        </nav>
      </section>
    </>
  )
}
