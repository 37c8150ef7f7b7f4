/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { DashboardOverview } from '../../ports.js'
import { BarChart } from '../views/charts.js'
import { companyName, contactLabel } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import { EmptyState } from '../views/empty.js'
import { gradeLabel } from '../views/grades.js'
import { When } from '../views/when.js'

function HotLeads(props: { f: Fmt; d: DashboardOverview }) {
  const { f, d } = props
  if (d.hotLeads.length === 0) return <p class="muted">{f.t('overview.noHot')}</p>
  return (
    <div class="scroll" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th>{f.t('col.contact')}</th>
            <th>{f.t('col.company')}</th>
            <th class="num">{f.t('col.score')}</th>
            <th>{f.t('col.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          {d.hotLeads.map((c) => (
            <tr>
              <td class="name">
                <a href={`/app/contacts/${c.id}`}>{contactLabel(c.traits, c.id, f)}</a>
              </td>
              <td>{companyName(c.traits)}</td>
              <td class="num">{f.num((c.score as { total: number }).total)}</td>
              <td class="date">
                <When f={f} at={c.lastSeen} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Score distribution, grade counts, new contacts per day and this week's hot leads. */
export function OverviewBody(props: { f: Fmt; data: DashboardOverview; at: string }) {
  const { f, data: d } = props
  return (
    <>
      <h1>{f.t('nav.overview')}</h1>
      <p class="muted">{f.t('overview.asOf', { at: f.dateTime(props.at), tz: f.timeZone })}</p>
      {d.total === 0 ? (
        <EmptyState
          f={f}
          title={f.t('overview.empty.title')}
          body={f.t('overview.empty.body')}
          href="/app/setup"
          action={f.t('overview.empty.action')}
        />
      ) : (
        <>
          <div class="cards">
            <section class="card">
              <h2>{f.t('overview.distribution')}</h2>
              <p class="muted">{f.t('overview.byScore', { n: f.num(d.total) })}</p>
              <BarChart
                locale={f.locale}
                label={f.t('overview.distributionChart')}
                empty={f.t('overview.empty.title')}
                labelEvery={Math.max(1, Math.ceil(d.distribution.length / 8))}
                bars={d.distribution.map((b) => ({
                  label: f.num(b.from),
                  value: b.count,
                  title: f.t('overview.bucket', {
                    from: f.num(b.from),
                    to: f.num(b.to),
                    n: f.num(b.count),
                  }),
                }))}
              />
              <table>
                <caption class="sr">{f.t('overview.grades')}</caption>
                <tbody>
                  {d.grades.map((g) => (
                    <tr>
                      <td>
                        <GradeBadge locale={f.locale} grade={g.grade} top={d.hotGrade} />
                      </td>
                      <td class="num">{f.num(g.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="card">
              <h2>{f.t('overview.newPerDay')}</h2>
              <p class="muted">{f.t('overview.lastDays', { n: d.newPerDay.length })}</p>
              <BarChart
                locale={f.locale}
                label={f.t('overview.newPerDay')}
                empty={f.t('shell.chart.noNewContacts', { n: d.newPerDay.length })}
                labelEvery={7}
                bars={d.newPerDay.map((p) => ({
                  label: p.day.slice(5),
                  value: p.count,
                  title: `${p.day}: ${f.num(p.count)}`,
                }))}
              />
            </section>
          </div>
          <section class="card">
            <h2>
              {d.hotGrade
                ? f.t('overview.hotGrade', { grade: gradeLabel(f.locale, d.hotGrade) })
                : f.t('overview.hot')}
            </h2>
            <HotLeads f={f} d={d} />
          </section>
        </>
      )}
    </>
  )
}
