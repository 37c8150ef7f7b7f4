/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import type { BreakdownEntry, Score } from '@lodestone/scoring'
import type { ContactView, ScorePoint } from '../../ports.js'
import { StepChart } from '../views/charts.js'
import { contactLabel, points, traitText, when } from '../views/format.js'
import { GradeBadge } from '../views/layout.js'

interface Subscription {
  status: string
  updatedAt: string
  source: string | null
  history: {
    status: string
    at: string
    source: string | null
    page: string | null
    form: string | null
  }[]
}

type Profile = ContactView & {
  score: Score
  subscriptions: Record<string, Subscription>
  consent: Record<string, { granted: boolean; updatedAt: string }>
}

function Pairs(props: { data: Record<string, unknown> | null; empty: string }) {
  const entries = Object.entries(props.data ?? {})
  if (entries.length === 0) return <p class="muted">{props.empty}</p>
  return (
    <dl>
      {entries.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{traitText(v)}</dd>
        </>
      ))}
    </dl>
  )
}

function Breakdown(props: { rows: BreakdownEntry[] }) {
  if (props.rows.length === 0) return <p class="muted">No rule has scored this contact yet.</p>
  return (
    <table id="breakdown">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Kind</th>
          <th class="num">Times</th>
          <th>Last fired</th>
          <th class="num">Points now</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((b) => (
          <tr>
            <td>
              {b.name} <span class="muted">{b.rule}</span>
            </td>
            <td>{b.kind}</td>
            <td class="num">{b.count}</td>
            <td>{b.lastAt ? when(b.lastAt) : 'from traits'}</td>
            <td
              class="num"
              title={b.awarded !== undefined ? `awarded ${b.awarded} before decay` : ''}
            >
              {points(b.points, true)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Subscriptions(props: { subs: Record<string, Subscription> }) {
  const topics = Object.entries(props.subs)
  if (topics.length === 0) return <p class="muted">No subscription choices recorded.</p>
  return (
    <>
      {topics.map(([topic, s]) => (
        <div>
          <p>
            <strong>{topic}</strong>:{' '}
            <span class={s.status === 'subscribed' ? 'ok' : 'error'}>{s.status}</span>{' '}
            <span class="muted">{`since ${when(s.updatedAt)}`}</span>
          </p>
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Choice</th>
                <th>Source</th>
                <th>Form</th>
                <th>Page</th>
              </tr>
            </thead>
            <tbody>
              {s.history.map((h) => (
                <tr>
                  <td>{when(h.at)}</td>
                  <td>{h.status}</td>
                  <td>{h.source ?? ''}</td>
                  <td>{h.form ?? ''}</td>
                  <td>{h.page ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  )
}

function eventSummary(e: Record<string, unknown>): string {
  const ctx = (e.context ?? {}) as { page?: { url?: unknown; path?: unknown } }
  if (e.type === 'track') return traitText(e.event)
  if (e.type === 'page' || e.type === 'screen')
    return traitText(e.name) || traitText(ctx.page?.path) || traitText(ctx.page?.url)
  if (e.type === 'identify') return Object.keys((e.traits ?? {}) as object).join(', ')
  return ''
}

/** Everything known about one contact, and why it has its score. */
export function ContactBody(props: {
  contact: Profile
  history: ScorePoint[]
  events: Record<string, unknown>[]
  moreEvents: boolean
  topGrade: string | null
  now: string
  /** The contact's alerts (pages/reports.tsx), shown above the score. */
  alerts?: Child
}) {
  const c = props.contact
  const s = c.score
  return (
    <>
      <h1>
        {contactLabel(c.traits, c.id)} <GradeBadge grade={s.grade} top={props.topGrade} />
      </h1>
      <p>
        <strong id="total">{`Score ${points(s.total)}`}</strong>
        <span class="muted">{` = fit ${points(s.fit)} + engagement ${points(s.engagement)} · first seen ${when(c.firstSeen)} · last seen ${when(c.lastSeen)}`}</span>
      </p>
      {props.alerts}
      <div class="cards">
        <section class="card">
          <h2>Score breakdown</h2>
          <Breakdown rows={s.breakdown} />
        </section>
        <section class="card">
          <h2>Score over time</h2>
          <StepChart
            label="Total score over time"
            points={[
              ...props.history.map((p) => ({
                at: Date.parse(p.at),
                value: p.total,
                title: `${when(p.at)}: ${points(p.total)} (${p.grade})`,
              })),
              // where it stands now, after decay and any rule change since the last event
              { at: Date.parse(props.now), value: s.total, title: `now: ${points(s.total)}` },
            ]}
          />
        </section>
        <section class="card">
          <h2>Traits</h2>
          <Pairs data={c.traits} empty="No traits yet." />
        </section>
        <section class="card">
          <h2>Identities</h2>
          {c.identities.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table>
              <tbody>
                {c.identities.map((i) => (
                  <tr>
                    <td>{i.kind}</td>
                    <td>{i.value}</td>
                    <td class="muted">{when(i.linkedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 class="gap">First touch</h2>
          <Pairs data={c.firstTouch} empty="Not recorded." />
        </section>
        <section class="card">
          <h2>Subscriptions</h2>
          <Subscriptions subs={c.subscriptions} />
          <h2 class="gap">Consent</h2>
          <Pairs
            data={Object.fromEntries(
              Object.entries(c.consent).map(([k, v]) => [
                k,
                `${v.granted ? 'granted' : 'denied'} (${when(v.updatedAt)})`,
              ]),
            )}
            empty="No consent choices recorded."
          />
        </section>
      </div>
      <section class="card">
        <h2>Timeline</h2>
        {props.events.length === 0 ? (
          <p class="muted">No events.</p>
        ) : (
          <table id="timeline">
            <tbody>
              {props.events.map((e) => (
                <tr>
                  <td class="muted">{when(e.timestamp as string)}</td>
                  <td>{traitText(e.type)}</td>
                  <td>{eventSummary(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.moreEvents ? (
          <p class="muted">Showing the latest {props.events.length} events.</p>
        ) : null}
      </section>
    </>
  )
}
