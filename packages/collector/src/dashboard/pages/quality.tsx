/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { QualityReport } from '@lodestone/lifecycle'
import type { TraitIssue } from '@lodestone/lifecycle'
import { traitText } from '../views/format.js'

/** Contacts listed per section at most; the counts are always complete. */
export const QUALITY_LIST_LIMIT = 100

/** Name or e-mail per contact id (from `store.contactLabels`); missing ids show a short id. */
export type Labels = Record<string, { label: string | null } | undefined>

/** The contact ids a page of the report shows, for one `contactLabels` look-up. */
export function qualityPageIds(r: QualityReport): string[] {
  const ids = new Set<string>()
  const take = (list: string[]) => list.slice(0, QUALITY_LIST_LIMIT).forEach((id) => ids.add(id))
  take(r.missingEmail)
  take(r.missingCompany)
  take(r.invalid.map((i) => i.id))
  take(r.invalid.filter((i) => i.issues.some(isDisposable)).map((i) => i.id))
  for (const g of r.duplicates.slice(0, QUALITY_LIST_LIMIT)) take(g.contactIds)
  return [...ids]
}

const isDisposable = (i: TraitIssue) => i.code === 'disposable_email'

function ContactLink(props: { id: string; labels: Labels }) {
  const label = props.labels[props.id]?.label
  return <a href={`/app/contacts/${props.id}`}>{label || `Contact ${props.id.slice(0, 8)}`}</a>
}

function More(props: { total: number }) {
  return props.total > QUALITY_LIST_LIMIT ? (
    <p class="muted">{`Showing ${QUALITY_LIST_LIMIT} of ${props.total}.`}</p>
  ) : null
}

function IdList(props: { title: string; ids: string[]; labels: Labels; empty: string }) {
  return (
    <section class="card">
      <h2>{`${props.title} (${props.ids.length})`}</h2>
      {props.ids.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          <ul class="feed">
            {props.ids.slice(0, QUALITY_LIST_LIMIT).map((id) => (
              <li>
                <ContactLink id={id} labels={props.labels} />
              </li>
            ))}
          </ul>
          <More total={props.ids.length} />
        </>
      )}
    </section>
  )
}

function IssueTable(props: {
  title: string
  rows: { id: string; issues: TraitIssue[] }[]
  labels: Labels
  empty: string
}) {
  return (
    <section class="card">
      <h2>{`${props.title} (${props.rows.length})`}</h2>
      {props.rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Contact</th>
                <th>Trait</th>
                <th>Value</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.slice(0, QUALITY_LIST_LIMIT).flatMap((row) =>
                row.issues.map((issue, i) => (
                  <tr>
                    <td>{i === 0 ? <ContactLink id={row.id} labels={props.labels} /> : null}</td>
                    <td>{issue.path}</td>
                    <td>{traitText(issue.value).slice(0, 200)}</td>
                    <td>{issue.message}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <More total={props.rows.length} />
        </>
      )}
    </section>
  )
}

/** The data-quality report: counts, then each finding with links to the contacts. */
export function QualityBody(props: { report: QualityReport; labels: Labels; at: string }) {
  const r = props.report
  const disposable = r.invalid
    .filter((i) => i.issues.some(isDisposable))
    .map((i) => ({ id: i.id, issues: i.issues.filter(isDisposable) }))
  const suspected = r.duplicates.reduce((n, g) => n + g.contactIds.length, 0)
  const pct = (n: number) => (r.total ? `${Math.round((n / r.total) * 1000) / 10}%` : '–')
  const counts: [string, number][] = [
    ['Contacts', r.total],
    ['Complete (e-mail, company, no issue)', r.complete],
    ['Missing e-mail', r.missingEmail.length],
    ['Missing company', r.missingCompany.length],
    ['With invalid values', r.invalid.length],
    ['With a disposable e-mail domain', disposable.length],
    ['Suspected duplicate groups', r.duplicates.length],
    ['Contacts in suspected duplicates', suspected],
  ]
  return (
    <>
      <h1>Data quality</h1>
      <p class="muted">{`Computed over every contact at ${props.at.slice(0, 16).replace('T', ' ')} UTC.`}</p>
      <section class="card">
        <table class="counts">
          <tbody>
            {counts.map(([label, n], i) => (
              <tr>
                <th>{label}</th>
                <td class="num">{n}</td>
                <td class="num muted">{i === 0 ? '' : pct(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div class="cards">
        <IdList
          title="Missing e-mail"
          ids={r.missingEmail}
          labels={props.labels}
          empty="Every contact has an e-mail."
        />
        <IdList
          title="Missing company"
          ids={r.missingCompany}
          labels={props.labels}
          empty="Every contact has a company."
        />
      </div>
      <IssueTable
        title="Invalid values"
        rows={r.invalid}
        labels={props.labels}
        empty="No invalid e-mail, country or phone values."
      />
      <IssueTable
        title="Disposable e-mail domains"
        rows={disposable}
        labels={props.labels}
        empty="No contact uses a known disposable e-mail domain."
      />
      <section class="card">
        <h2>{`Suspected duplicates (${r.duplicates.length})`}</h2>
        <p class="muted">Same company and the same or a nearly identical name.</p>
        {r.duplicates.length === 0 ? (
          <p class="muted">No suspected duplicates.</p>
        ) : (
          <>
            <table>
              <thead>
                <tr>
                  <th>Company key</th>
                  <th>Contacts</th>
                </tr>
              </thead>
              <tbody>
                {r.duplicates.slice(0, QUALITY_LIST_LIMIT).map((g) => (
                  <tr>
                    <td>{g.company}</td>
                    <td>
                      {g.contactIds.slice(0, QUALITY_LIST_LIMIT).map((id, i) => (
                        <>
                          {i ? ', ' : ''}
                          <ContactLink id={id} labels={props.labels} />
                        </>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <More total={r.duplicates.length} />
          </>
        )}
      </section>
    </>
  )
}
