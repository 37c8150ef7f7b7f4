/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { DashboardOverview } from '../../ports.js'
import { BarChart } from '../views/charts.js'
import { companyName, contactLabel, points, when } from '../views/format.js'
import { GradeBadge } from '../views/layout.js'

/** Score distribution, grade counts, new contacts per day and this week's hot leads. */
export function OverviewBody(props: { data: DashboardOverview; at: string }) {
  const d = props.data
  return (
    <>
      <h1>Overview</h1>
      <p class="muted">{`As of ${when(props.at)} UTC (refreshed every 30 seconds).`}</p>
      <div class="cards">
        <section class="card">
          <h2>Score distribution</h2>
          <p class="muted">{`${d.total} contacts by total score`}</p>
          <BarChart
            label="Contacts per score range"
            labelEvery={Math.max(1, Math.ceil(d.distribution.length / 8))}
            bars={d.distribution.map((b) => ({
              label: String(b.from),
              value: b.count,
              title: `${b.from} to ${b.to}: ${b.count} contacts`,
            }))}
          />
          <table>
            <tbody>
              {d.grades.map((g) => (
                <tr>
                  <td>
                    <GradeBadge grade={g.grade} top={d.hotGrade} />
                  </td>
                  <td class="num">{g.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>New contacts per day</h2>
          <p class="muted">{`Last ${d.newPerDay.length} days (UTC)`}</p>
          <BarChart
            label="New contacts per day"
            labelEvery={7}
            bars={d.newPerDay.map((p) => ({
              label: p.day.slice(5),
              value: p.count,
              title: `${p.day}: ${p.count}`,
            }))}
          />
        </section>
      </div>
      <section class="card">
        <h2>{`Hot leads this week${d.hotGrade ? ` (grade ${d.hotGrade}, seen in the last 7 days)` : ''}`}</h2>
        {d.hotLeads.length === 0 ? (
          <p class="muted">No hot leads this week yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Contact</th>
                <th>Company</th>
                <th class="num">Score</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {d.hotLeads.map((c) => {
                const score = c.score as { total: number }
                return (
                  <tr>
                    <td>
                      <a href={`/app/contacts/${c.id}`}>{contactLabel(c.traits, c.id)}</a>
                    </td>
                    <td>{companyName(c.traits)}</td>
                    <td class="num">{points(score.total)}</td>
                    <td>{when(c.lastSeen)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
