/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { AlertRule } from '@lodestone/lifecycle'
import type { BreakdownEntry, Score } from '@lodestone/scoring'
import type { Child } from 'hono/jsx'
import type { ContactView } from '../../ports.js'
import type { ContactAlert } from '../../lifecycle/port.js'
import type { LifecycleItem, TimelinePoint } from '../port.js'
import { StepChart } from '../views/charts.js'
import { alertText } from '../views/alert-text.js'
import { contactLabel } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import {
  COMPUTED,
  EVENT_KINDS,
  LifecyclePanel,
  Pairs,
  eventDetails,
  eventKind,
} from './contact-parts.js'
import { gradeLabel } from '../views/grades.js'
import { When } from '../views/when.js'

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

export type Profile = ContactView & {
  score: Score
  subscriptions: Record<string, Subscription>
  consent: Record<string, { granted: boolean; updatedAt: string }>
}

function Breakdown(props: { f: Fmt; rows: BreakdownEntry[] }) {
  const { f } = props
  if (props.rows.length === 0) return <p class="muted">{f.t('contact.noBreakdown')}</p>
  return (
    <div class="scroll" tabindex={0}>
      <table id="breakdown">
        <thead>
          <tr>
            <th>{f.t('contact.rule')}</th>
            <th>{f.t('contact.kind')}</th>
            <th class="num">{f.t('contact.times')}</th>
            <th>{f.t('contact.lastFired')}</th>
            <th class="num">{f.t('contact.pointsNow')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((b) => (
            <tr>
              <td>
                {b.name} <span class="muted small">{b.rule}</span>
              </td>
              <td>{f.t(`rules.kind.${b.kind}`)}</td>
              <td class="num">{f.num(b.count)}</td>
              <td class="date">
                {b.lastAt ? <When f={f} at={b.lastAt} /> : f.t('contact.fromTraits')}
              </td>
              <td
                class="num"
                title={
                  b.awarded !== undefined ? f.t('contact.beforeDecay', { n: f.num(b.awarded) }) : ''
                }
              >
                {b.points > 0 ? `+${f.num(b.points)}` : f.num(b.points)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Subscriptions(props: { f: Fmt; subs: Record<string, Subscription> }) {
  const { f } = props
  const topics = Object.entries(props.subs)
  if (topics.length === 0) return <p class="muted">{f.t('contact.noSubscriptions')}</p>
  return (
    <>
      {topics.map(([topic, s]) => (
        <div>
          <p>
            <strong>{topic}</strong>:{' '}
            <span class={s.status === 'subscribed' ? 'ok' : 'error'}>
              {f.t(`contact.status.${s.status}`)}
            </span>{' '}
            <span class="muted">{f.t('contact.since', { at: f.dateTime(s.updatedAt) })}</span>
          </p>
          <div class="scroll" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th>{f.t('label.at')}</th>
                  <th>{f.t('contact.choice')}</th>
                  <th>{f.t('label.source')}</th>
                  <th>{f.t('contact.form')}</th>
                  <th>{f.t('label.url')}</th>
                </tr>
              </thead>
              <tbody>
                {s.history.map((h) => (
                  <tr>
                    <td class="date">
                      <When f={f} at={h.at} />
                    </td>
                    <td>{f.t(`contact.status.${h.status}`)}</td>
                    <td>{h.source ?? ''}</td>
                    <td>{h.form ?? ''}</td>
                    <td>{h.page ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </>
  )
}

function Timeline(props: {
  f: Fmt
  id: string
  events: Record<string, unknown>[]
  kind: string | null
  more: boolean
}) {
  const { f } = props
  const shown = props.kind ? props.events.filter((e) => eventKind(e) === props.kind) : props.events
  return (
    <section class="card" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{f.t('contact.timeline')}</h2>
      <nav class="kinds" aria-label={f.t('contact.timelineKinds')}>
        <a
          href={`/app/contacts/${props.id}#timeline-h`}
          aria-current={!props.kind ? 'true' : undefined}
        >
          {f.t('contact.kind.all')}
        </a>
        {EVENT_KINDS.map((k) => (
          <a
            href={`/app/contacts/${props.id}?kind=${k}#timeline-h`}
            aria-current={props.kind === k ? 'true' : undefined}
          >
            {f.t(`contact.kind.${k}`)}
          </a>
        ))}
      </nav>
      {shown.length === 0 ? (
        <p class="muted">{f.t('contact.noEvents')}</p>
      ) : (
        <div class="scroll" tabindex={0}>
          <table id="timeline">
            <tbody>
              {shown.map((e) => {
                const d = eventDetails(f, e)
                return (
                  <tr data-kind={eventKind(e)}>
                    <td class="muted nowrap">
                      <When f={f} at={e.timestamp} />
                    </td>
                    <td>
                      <strong>{d.title}</strong>
                      {d.url ? <div class="small muted url">{d.url}</div> : null}
                      {d.detail ? <div class="small">{d.detail}</div> : null}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {props.more ? (
        <p class="muted small">{f.t('contact.latest', { n: props.events.length })}</p>
      ) : null}
    </section>
  )
}

function Alerts(props: { f: Fmt; alerts: ContactAlert[]; rules: readonly AlertRule[] }) {
  const { f } = props
  if (props.alerts.length === 0) return <p class="muted">{f.t('contact.noAlerts')}</p>
  return (
    <ul class="feed" id="alerts">
      {props.alerts.map((a) => (
        <li>
          <When f={f} at={a.at} />
          {a.name ?? a.ruleId}: {alertText(f, props.rules, a)}
        </li>
      ))}
    </ul>
  )
}

/** Everything known about one contact, and why it has its score. */
export function ContactBody(props: {
  f: Fmt
  contact: Profile
  timeline: TimelinePoint[]
  events: Record<string, unknown>[]
  moreEvents: boolean
  lifecycle: LifecycleItem[]
  alerts: ContactAlert[]
  /** The workspace's alert rules, to say each alert in the reader's language. */
  alertRules?: readonly AlertRule[]
  currency: string | null
  topGrade: string | null
  kind: string | null
  /** The contact's segments and accounts (pages/accounts.tsx ContactAudience). */
  audience?: Child
}) {
  const { f, contact: c } = props
  const s = c.score
  const sent = Object.fromEntries(Object.entries(c.traits).filter(([k]) => !COMPUTED.has(k)))
  const computed = Object.fromEntries(Object.entries(c.traits).filter(([k]) => COMPUTED.has(k)))
  return (
    <>
      <h1>
        {contactLabel(c.traits, c.id, f)}{' '}
        <GradeBadge locale={f.locale} grade={s.grade} top={props.topGrade} />
      </h1>
      <p>
        <strong id="total" data-total={s.total}>
          {f.t('contact.score', { n: f.num(s.total) })}
        </strong>{' '}
        <span class="muted">
          {f.t('contact.scoreParts', {
            fit: f.num(s.fit),
            engagement: f.num(s.engagement),
            first: f.dateTime(c.firstSeen),
            last: f.dateTime(c.lastSeen),
          })}
        </span>
      </p>
      <div class="cards">
        <section class="card">
          <h2>{f.t('contact.breakdown')}</h2>
          <Breakdown f={f} rows={s.breakdown} />
        </section>
        <section class="card">
          <h2>{f.t('contact.overTime')}</h2>
          <p class="muted small">{f.t('contact.overTimeNote')}</p>
          <StepChart
            f={f}
            label={f.t('contact.overTime')}
            empty={f.t('shell.chart.noScoreChanges')}
            points={props.timeline.map((p) => ({
              at: Date.parse(p.at),
              value: p.total,
              title: `${f.dateTime(p.at)}: ${f.num(p.total)} (${p.grade ? gradeLabel(f.locale, p.grade) : '–'})`,
            }))}
          />
        </section>
        <section class="card">
          <h2>{f.t('contact.traitsSent')}</h2>
          <Pairs f={f} data={sent} empty={f.t('contact.noTraits')} id="traits" />
        </section>
        <section class="card">
          <h2>{f.t('contact.traitsComputed')}</h2>
          <Pairs
            f={f}
            data={computed}
            empty={f.t('contact.noComputed')}
            currency={props.currency}
            id="computed"
          />
        </section>
        <section class="card">
          <h2>{f.t('contact.lifecycle')}</h2>
          <LifecyclePanel f={f} items={props.lifecycle} />
          <h2 class="gap">{f.t('contact.alerts')}</h2>
          <Alerts f={f} alerts={props.alerts} rules={props.alertRules ?? []} />
        </section>
        <section class="card">
          <h2>{f.t('contact.identities')}</h2>
          {c.identities.length === 0 ? (
            <p class="muted">{f.t('contact.none')}</p>
          ) : (
            <div class="scroll" tabindex={0}>
              <table>
                <tbody>
                  {c.identities.map((i) => (
                    <tr>
                      <td>{f.t(`contact.identity.${i.kind}`)}</td>
                      <td>{i.value}</td>
                      <td class="muted date">
                        <When f={f} at={i.linkedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2 class="gap">{f.t('contact.firstTouch')}</h2>
          <Pairs
            f={f}
            data={c.firstTouch as Record<string, unknown> | null}
            empty={f.t('contact.notRecorded')}
            id="first-touch"
          />
          {props.audience}
        </section>
        <section class="card">
          <h2>{f.t('contact.subscriptions')}</h2>
          <Subscriptions f={f} subs={c.subscriptions} />
          <h2 class="gap">{f.t('contact.consent')}</h2>
          <Pairs
            f={f}
            data={Object.fromEntries(
              Object.entries(c.consent).map(([k, v]) => [
                k,
                `${f.t(v.granted ? 'contact.granted' : 'contact.denied')} (${f.dateTime(v.updatedAt)})`,
              ]),
            )}
            empty={f.t('contact.noConsent')}
          />
        </section>
      </div>
      <Timeline f={f} id={c.id} events={props.events} kind={props.kind} more={props.moreEvents} />
    </>
  )
}
