/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Quality history page (docs/dashboard.md): the data-quality scans and their trend.
import type { QualityScan, WorkspaceAlert } from '../../reports/port.js'
import { MEASURES, share, type QualitySchedule } from '../../reports/quality-scan.js'
import { t } from '../i18n/index.js'
import { StepChart } from '../views/charts.js'
import type { Fmt } from '../views/intl.js'
import { QualityBanner } from './alerts.js'
import type { L } from './report-parts.js'
import { When } from '../views/when.js'

/** The scan history: a trend chart per measure and one table line per scan. */
export function QualityHistoryBody(
  props: L & {
    /** Dates in the workspace's time zone, in the reader's language. */
    f: Fmt
    scans: QualityScan[]
    schedule: QualitySchedule
    csrf: string
    ran?: boolean
    banner?: WorkspaceAlert | null
  },
) {
  const { locale: l, scans, f } = props
  const charted = ['complete', 'missingEmail', 'invalid', 'addressIssues'] as const
  // A scan of no contacts has no shares to draw (an empty workspace's scans).
  const measured = scans.filter((s) => s.measures.total > 0)
  return (
    <>
      <h1>{t(l, 'reports.quality.title')}</h1>
      <QualityBanner locale={l} alert={props.banner ?? null} />
      <p class="muted">
        {t(l, 'reports.quality.intro', {
          days: props.schedule.everyDays,
          next: f.dateTime(props.schedule.nextRunAt),
        })}
      </p>
      <form method="post" action="/app/quality/scan">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="primary">
          {t(l, 'reports.quality.runNow')}
        </button>{' '}
        {props.ran ? <span class="ok">{t(l, 'reports.quality.ran')}</span> : null}
      </form>
      {scans.length === 0 ? <p class="muted">{t(l, 'reports.quality.none')}</p> : null}
      {scans.length && !measured.length ? (
        <p class="muted" id="no-measures">
          {t(l, 'shell.chart.noContactsScanned')}
        </p>
      ) : null}
      {measured.length ? (
        <div class="cards">
          {charted.map((m) => (
            <section class="card">
              <h2>{t(l, 'reports.quality.chart', { measure: t(l, `reports.measure.${m}`) })}</h2>
              <StepChart
                f={f}
                label={t(l, `reports.measure.${m}`)}
                empty={t(l, 'reports.quality.none')}
                height={130}
                points={measured.map((s) => ({
                  at: Date.parse(s.at),
                  value: share(s.measures, m),
                  title: `${s.at.slice(0, 10)}: ${share(s.measures, m)} %`,
                }))}
              />
            </section>
          ))}
        </div>
      ) : null}
      {scans.length ? (
        <section class="card">
          <div class="scroll" tabindex={0} role="region" aria-label={t(l, 'reports.quality.title')}>
            <table id="scans">
              <thead>
                <tr>
                  <th>{t(l, 'reports.quality.at')}</th>
                  <th>{t(l, 'reports.quality.trigger')}</th>
                  <th>{t(l, 'reports.measure.total')}</th>
                  {MEASURES.map((m) => (
                    <th>{t(l, `reports.measure.${m}`)}</th>
                  ))}
                  <th>{t(l, 'reports.quality.worsened')}</th>
                </tr>
              </thead>
              <tbody>
                {[...scans].reverse().map((s) => (
                  <tr data-scan={s.id}>
                    <td class="date">
                      <When f={f} at={s.at} />
                    </td>
                    <td class="nowrap">{t(l, `reports.quality.trigger.${s.trigger}`)}</td>
                    <td>{s.measures.total}</td>
                    {MEASURES.map((m) => (
                      <td data-measure={m} class="nowrap">
                        {s.measures[m]} <span class="muted small">({share(s.measures, m)} %)</span>
                      </td>
                    ))}
                    <td class={s.worsened.length ? 'up' : ''}>
                      {s.worsened.map((w) => t(l, `reports.measure.${w.measure}`)).join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  )
}
