/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { QualityReport } from '@lodestone/lifecycle'
import type { TraitIssue } from '@lodestone/lifecycle'
import { traitText } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { EmptyState } from '../views/empty.js'

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

function ContactLink(props: { f: Fmt; id: string; labels: Labels }) {
  const label = props.labels[props.id]?.label
  return (
    <a href={`/app/contacts/${props.id}`}>
      {label || props.f.t('contact.anonymous', { id: props.id.slice(0, 8) })}
    </a>
  )
}

function More(props: { f: Fmt; total: number }) {
  return props.total > QUALITY_LIST_LIMIT ? (
    <p class="muted">
      {props.f.t('quality.showing', { n: QUALITY_LIST_LIMIT, total: props.f.num(props.total) })}
    </p>
  ) : null
}

function IdList(props: { f: Fmt; title: string; ids: string[]; labels: Labels; empty: string }) {
  return (
    <section class="card">
      <h2>{`${props.title} (${props.f.num(props.ids.length)})`}</h2>
      {props.ids.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          <ul class="feed">
            {props.ids.slice(0, QUALITY_LIST_LIMIT).map((id) => (
              <li>
                <ContactLink f={props.f} id={id} labels={props.labels} />
              </li>
            ))}
          </ul>
          <More f={props.f} total={props.ids.length} />
        </>
      )}
    </section>
  )
}

function IssueTable(props: {
  f: Fmt
  title: string
  rows: { id: string; issues: TraitIssue[] }[]
  labels: Labels
  empty: string
}) {
  return (
    <section class="card">
      <h2>{`${props.title} (${props.f.num(props.rows.length)})`}</h2>
      {props.rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <>
          <div class="scroll" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th>{props.f.t('col.contact')}</th>
                  <th>{props.f.t('contacts.trait')}</th>
                  <th>{props.f.t('contacts.value')}</th>
                  <th>{props.f.t('quality.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.slice(0, QUALITY_LIST_LIMIT).flatMap((row) =>
                  row.issues.map((issue, i) => (
                    <tr>
                      <td>
                        {i === 0 ? (
                          <ContactLink f={props.f} id={row.id} labels={props.labels} />
                        ) : null}
                      </td>
                      <td>{issue.path}</td>
                      <td>{traitText(issue.value).slice(0, 200)}</td>
                      <td>{props.f.t(`quality.issue.${issue.code}`)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          <More f={props.f} total={props.rows.length} />
        </>
      )}
    </section>
  )
}

/** The data-quality report: counts, then each finding with links to the contacts. */
export function QualityBody(props: { f: Fmt; report: QualityReport; labels: Labels; at: string }) {
  const { f } = props
  const r = props.report
  const disposable = r.invalid
    .filter((i) => i.issues.some(isDisposable))
    .map((i) => ({ id: i.id, issues: i.issues.filter(isDisposable) }))
  const suspected = r.duplicates.reduce((n, g) => n + g.contactIds.length, 0)
  const pct = (n: number) => (r.total ? f.percent(n / r.total) : '–')
  const counts: [string, number][] = [
    [f.t('nav.contacts'), r.total],
    [f.t('quality.complete'), r.complete],
    [f.t('quality.missingEmail'), r.missingEmail.length],
    [f.t('quality.missingCompany'), r.missingCompany.length],
    [f.t('quality.withInvalid'), r.invalid.length],
    [f.t('quality.withDisposable'), disposable.length],
    [f.t('quality.duplicateGroups'), r.duplicates.length],
    [f.t('quality.inDuplicates'), suspected],
  ]
  return (
    <>
      <h1>{f.t('quality.title')}</h1>
      <p class="muted">{f.t('quality.computed', { at: f.dateTime(props.at), tz: f.timeZone })}</p>
      {r.total === 0 ? (
        <EmptyState
          f={f}
          title={f.t('quality.empty.title')}
          body={f.t('quality.empty.body')}
          href="/app/setup"
          action={f.t('overview.empty.action')}
        />
      ) : null}
      <section class="card">
        <table class="counts">
          <tbody>
            {counts.map(([label, n], i) => (
              <tr>
                <th>{label}</th>
                <td class="num">{f.num(n)}</td>
                <td class="num muted">{i === 0 ? '' : pct(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div class="cards">
        <IdList
          f={f}
          title={f.t('quality.missingEmail')}
          ids={r.missingEmail}
          labels={props.labels}
          empty={f.t('quality.allEmail')}
        />
        <IdList
          f={f}
          title={f.t('quality.missingCompany')}
          ids={r.missingCompany}
          labels={props.labels}
          empty={f.t('quality.allCompany')}
        />
      </div>
      <IssueTable
        f={f}
        title={f.t('quality.invalid')}
        rows={r.invalid}
        labels={props.labels}
        empty={f.t('quality.noInvalid')}
      />
      <IssueTable
        f={f}
        title={f.t('quality.disposable')}
        rows={disposable}
        labels={props.labels}
        empty={f.t('quality.noDisposable')}
      />
      <section class="card">
        <h2>{`${f.t('quality.duplicates')} (${f.num(r.duplicates.length)})`}</h2>
        <p class="muted">{f.t('quality.duplicatesHelp')}</p>
        {r.duplicates.length === 0 ? (
          <p class="muted">{f.t('quality.noDuplicates')}</p>
        ) : (
          <>
            <div class="scroll" tabindex={0}>
              <table>
                <thead>
                  <tr>
                    <th>{f.t('quality.companyKey')}</th>
                    <th>{f.t('nav.contacts')}</th>
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
                            <ContactLink f={f} id={id} labels={props.labels} />
                          </>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <More f={f} total={r.duplicates.length} />
          </>
        )}
      </section>
    </>
  )
}
