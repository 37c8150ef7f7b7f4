/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Alerts page (docs/dashboard.md), the alert list the Live page and contact profiles show, and
// the banner of the newest data-quality alert.
import type { WorkspaceAlert } from '../../reports/port.js'
import { t } from '../i18n/index.js'
import type { AlertRule } from '@lodestone/lifecycle'
import { alertText } from '../views/alert-text.js'
import type { Fmt } from '../views/intl.js'
import type { L } from './report-parts.js'
import { When } from '../views/when.js'

/** The newest open data-quality alert, as a banner. */
/**
 * What an alert says, in the reader's language when the collector wrote it from figures (a
 * data-quality scan: the measure and its shares before and after); else its stored message.
 */
function alertMessage(l: L['locale'], a: WorkspaceAlert): string {
  const v = a.value as { measure?: unknown; before?: unknown; after?: unknown } | null
  if (
    (a.kind as string) !== 'quality_worsened' ||
    typeof v?.measure !== 'string' ||
    typeof v.before !== 'number' ||
    typeof v.after !== 'number'
  )
    return a.message
  return t(l, 'shell.alert.quality', {
    measure: t(l, `reports.measure.${v.measure}`),
    before: v.before,
    after: v.after,
  })
}

export function QualityBanner(props: L & { alert: WorkspaceAlert | null }) {
  if (!props.alert) return null
  return (
    <div class="banner" role="status" id="quality-banner">
      {t(props.locale, 'reports.banner.quality', {
        message: alertMessage(props.locale, props.alert),
      })}{' '}
      <a href="/app/alerts?kind=quality_worsened">{t(props.locale, 'reports.banner.see')}</a>
    </div>
  )
}

export const ALERT_KINDS = [
  'satisfaction_below',
  'tickets_within',
  'churn_risk_above',
  'grade_became',
  'quality_worsened',
] as const

/** A list of alerts, each acknowledgeable; contacts link to their profiles. */
export function AlertList(
  props: L & {
    /** Dates in the workspace's time zone, in the reader's language. */
    f: Fmt
    alerts: WorkspaceAlert[]
    /** The workspace's alert rules, to say contact alerts in the reader's language. */
    rules?: readonly AlertRule[]
    labels: Record<string, { label: string | null }>
    csrf: string
    back: string
    showContact?: boolean
  },
) {
  const { locale: l, f } = props
  if (props.alerts.length === 0) return <p class="muted">{t(l, 'reports.alerts.none')}</p>
  return (
    <table class="alerts">
      <thead>
        <tr>
          <th>{t(l, 'reports.alerts.when')}</th>
          <th>{t(l, 'reports.alerts.kind')}</th>
          <th>{t(l, 'reports.alerts.alert')}</th>
          {props.showContact === false ? null : <th>{t(l, 'reports.alerts.contact')}</th>}
          <th />
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((a) => (
          <tr data-alert={a.id} data-kind={a.kind}>
            <td class="date">
              <When f={f} at={a.at} />
            </td>
            <td>{t(l, `reports.alerts.kind.${a.kind}`)}</td>
            <td>
              {/* a scan's alert has no rule name of its own: the Kind column says it */}
              {(a.kind as string) === 'quality_worsened' ? null : (
                <strong>{a.name ?? a.ruleId} </strong>
              )}
              {(a.kind as string) === 'quality_worsened'
                ? alertMessage(l, a)
                : alertText(f, props.rules ?? [], a)}
            </td>
            {props.showContact === false ? null : (
              <td>
                {a.contactId ? (
                  <a href={`/app/contacts/${a.contactId}`}>
                    {props.labels[a.contactId]?.label ?? a.contactId.slice(0, 8)}
                  </a>
                ) : (
                  <span class="muted">{t(l, 'reports.alerts.workspace')}</span>
                )}
              </td>
            )}
            <td>
              {a.acknowledgedAt ? (
                <span class="muted small">
                  {t(l, 'reports.alerts.acknowledged', { when: f.dateTime(a.acknowledgedAt) })}
                </span>
              ) : (
                <form method="post" action={`/app/alerts/${a.id}/acknowledge`}>
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <input type="hidden" name="back" value={props.back} />
                  <button type="submit">{t(l, 'reports.alerts.acknowledge')}</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The Alerts page: filter by kind and by open/all. */
export function AlertsBody(
  props: L & {
    f: Fmt
    rules?: readonly AlertRule[]
    kind: string
    open: boolean
    alerts: WorkspaceAlert[]
    labels: Record<string, { label: string | null }>
    csrf: string
    back: string
    banner: WorkspaceAlert | null
  },
) {
  const l = props.locale
  return (
    <>
      <h1>{t(l, 'reports.alerts.title')}</h1>
      <QualityBanner locale={l} alert={props.banner} />
      <p class="muted">{t(l, 'reports.alerts.intro')}</p>
      <form class="filters" method="get" action="/app/alerts">
        <label>
          {t(l, 'reports.alerts.kind')}
          <select name="kind">
            <option value="">{t(l, 'reports.alerts.kind.all')}</option>
            {ALERT_KINDS.map((k) => (
              <option value={k} selected={k === props.kind}>
                {t(l, `reports.alerts.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'reports.alerts.show')}
          <select name="show">
            <option value="open" selected={props.open}>
              {t(l, 'reports.alerts.show.open')}
            </option>
            <option value="all" selected={!props.open}>
              {t(l, 'reports.alerts.show.all')}
            </option>
          </select>
        </label>
        <button type="submit" class="primary">
          {t(l, 'reports.form.show')}
        </button>
      </form>
      <section class="card">
        <AlertList {...props} />
      </section>
    </>
  )
}
