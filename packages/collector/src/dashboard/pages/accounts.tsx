/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Accounts page (companies ranked by score, any column sortable) and one account's profile
// (traits, scores, members with their buying role and score). docs/accounts.md.
import type { ScoreNow } from '@lodestone/scoring'
import type { AccountSort, RankedAccount } from '../../segments/dashboard-port.js'
import { EmptyState } from '../views/empty.js'
import { contactLabel } from '../views/format.js'
import type { Fmt } from '../views/intl.js'
import { GradeBadge } from '../views/layout.js'
import { Pairs } from './contact-parts.js'
import { When } from '../views/when.js'

const accountName = (a: { traits: Record<string, unknown>; groupId: string }) =>
  typeof a.traits.name === 'string' && a.traits.name.trim() ? a.traits.name : a.groupId

function SortHeader(props: {
  f: Fmt
  col: AccountSort
  sort: AccountSort
  desc: boolean
  num?: boolean
}) {
  const { f, col } = props
  const on = props.sort === col
  // A first click sorts high to low (names: A to Z); a second click reverses.
  const firstDesc = col !== 'name'
  const nextDesc = on ? !props.desc : firstDesc
  const href = `/app/accounts?sort=${col}${nextDesc ? '' : '&dir=asc'}`
  return (
    <th
      class={props.num ? 'num' : ''}
      aria-sort={on ? (props.desc ? 'descending' : 'ascending') : undefined}
    >
      <a href={href} id={`sort-${col}`}>
        {f.t(`accounts.col.${col}`)}
        {on ? (props.desc ? ' ↓' : ' ↑') : ''}
      </a>
    </th>
  )
}

/** The workspace's accounts, ranked. */
export function AccountsBody(props: {
  f: Fmt
  accounts: RankedAccount[]
  total: number
  sort: AccountSort
  desc: boolean
  page: number
  pageSize: number
  topGrade: string | null
}) {
  const { f, sort, desc } = props
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize))
  const link = (p: number) => `/app/accounts?sort=${sort}${desc ? '' : '&dir=asc'}&page=${p}`
  return (
    <>
      <h1>{f.t('accounts.title')}</h1>
      <p class="muted">{f.t('accounts.intro')}</p>
      {props.total === 0 ? (
        <EmptyState
          f={f}
          title={f.t('accounts.empty.title')}
          body={f.t('accounts.empty.body')}
          href="/app/setup"
          action={f.t('accounts.empty.action')}
        />
      ) : (
        <div class="card">
          <div class="scroll" tabindex={0} role="region" aria-label={f.t('accounts.title')}>
            <table id="accounts">
              <thead>
                <tr>
                  <SortHeader f={f} col="name" sort={sort} desc={desc} />
                  <SortHeader f={f} col="total" sort={sort} desc={desc} num />
                  <th>{f.t('accounts.col.grade')}</th>
                  <SortHeader f={f} col="fit" sort={sort} desc={desc} num />
                  <SortHeader f={f} col="engagement" sort={sort} desc={desc} num />
                  <SortHeader f={f} col="members" sort={sort} desc={desc} num />
                </tr>
              </thead>
              <tbody>
                {props.accounts.map((a) => (
                  <tr data-id={a.id} data-total={a.score.total}>
                    <td>
                      <a href={`/app/accounts/${a.id}`}>{accountName(a)}</a>{' '}
                      <span class="muted small">{a.groupId}</span>
                    </td>
                    <td class="num">{f.num(a.score.total)}</td>
                    <td>
                      <GradeBadge locale={f.locale} grade={a.score.grade} top={props.topGrade} />
                    </td>
                    <td class="num">{f.num(a.score.fit)}</td>
                    <td class="num">{f.num(a.score.engagement)}</td>
                    <td class="num">{f.num(a.members)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <p class="pager">
              {props.page > 1 ? <a href={link(props.page - 1)}>{f.t('accounts.prev')}</a> : null}
              <span class="muted">{f.t('accounts.pageOf', { page: props.page, pages })}</span>
              {props.page < pages ? (
                <a href={link(props.page + 1)} id="next">
                  {f.t('accounts.next')}
                </a>
              ) : null}
            </p>
          ) : null}
        </div>
      )}
    </>
  )
}

export interface AccountProfile {
  id: string
  groupId: string
  groupIds: string[]
  traits: Record<string, unknown>
  domain: string | null
  score: ScoreNow
  createdAt: string
  members: {
    id: string
    traits: Record<string, unknown>
    role: string
    source: string
    joinedAt: string
    score: ScoreNow
  }[]
}

/** One account: traits, its scores and its members with their buying role and score. */
export function AccountBody(props: { f: Fmt; account: AccountProfile; topGrade: string | null }) {
  const { f, account: a } = props
  const s = a.score
  return (
    <>
      <p class="small">
        <a href="/app/accounts">{f.t('accounts.back')}</a>
      </p>
      <h1>
        {accountName(a)} <GradeBadge locale={f.locale} grade={s.grade} top={props.topGrade} />
      </h1>
      <p>
        <strong id="account-total" data-total={s.total}>
          {f.t('accounts.score', { n: f.num(s.total) })}
        </strong>{' '}
        <span class="muted">
          {f.t('accounts.scoreParts', { fit: f.num(s.fit), engagement: f.num(s.engagement) })}
        </span>
      </p>
      <p class="muted small">{f.t('accounts.scoreNote')}</p>
      <p>
        <a class="button" href={`/app/contacts?account=${a.id}`} id="account-contacts">
          {f.t('segments.inContacts')}
        </a>
      </p>
      <div class="cards">
        <section class="card" aria-labelledby="account-traits-h">
          <h2 id="account-traits-h">{f.t('accounts.traits')}</h2>
          {/* The name is the heading; a person's "name" label would mislead here. */}
          <Pairs
            f={f}
            data={Object.fromEntries(Object.entries(a.traits).filter(([k]) => k !== 'name'))}
            empty={f.t('accounts.noTraits')}
            id="account-traits"
          />
        </section>
        <section class="card" aria-labelledby="account-ids-h">
          <h2 id="account-ids-h">{f.t('accounts.ids')}</h2>
          <dl>
            <dt>{f.t('accounts.groupIds')}</dt>
            <dd>{a.groupIds.join(', ')}</dd>
            <dt>{f.t('accounts.domain')}</dt>
            <dd>{a.domain ?? '–'}</dd>
            <dt>{f.t('accounts.created')}</dt>
            <dd>
              <When f={f} at={a.createdAt} />
            </dd>
          </dl>
        </section>
      </div>
      <section class="card" aria-labelledby="account-members-h">
        <h2 id="account-members-h">{f.t('accounts.members', { n: f.num(a.members.length) })}</h2>
        {a.members.length === 0 ? (
          <p class="muted">{f.t('accounts.noMembers')}</p>
        ) : (
          <div class="scroll" tabindex={0} role="region" aria-labelledby="account-members-h">
            <table id="account-members">
              <thead>
                <tr>
                  <th>{f.t('segments.col.contact')}</th>
                  <th>{f.t('accounts.col.title')}</th>
                  <th>{f.t('accounts.col.role')}</th>
                  <th class="num">{f.t('accounts.col.total')}</th>
                  <th>{f.t('accounts.col.grade')}</th>
                  <th>{f.t('accounts.col.source')}</th>
                </tr>
              </thead>
              <tbody>
                {a.members.map((m) => (
                  <tr data-id={m.id} data-role={m.role} data-total={m.score.total}>
                    <td class="name">
                      <a href={`/app/contacts/${m.id}`}>{contactLabel(m.traits, m.id, f)}</a>
                    </td>
                    <td>{typeof m.traits.title === 'string' ? m.traits.title : ''}</td>
                    <td>{f.t(`segments.role.${m.role}`)}</td>
                    <td class="num">{f.num(m.score.total)}</td>
                    <td>
                      <GradeBadge locale={f.locale} grade={m.score.grade} top={props.topGrade} />
                    </td>
                    <td>{f.t(`accounts.source.${m.source === 'domain' ? 'domain' : 'group'}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

/** The contact profile's panel: the contact's segments and accounts, with links. */
export function ContactAudience(props: {
  f: Fmt
  segments: { id: string; name: string }[]
  accounts: { id: string; groupId: string; name: string | null; role: string }[]
}) {
  const { f } = props
  return (
    <div id="contact-audience">
      <h2 class="gap">{f.t('segments.contact.segments')}</h2>
      {props.segments.length === 0 ? (
        <p class="muted">{f.t('segments.contact.noSegments')}</p>
      ) : (
        <ul id="contact-segments">
          {props.segments.map((s) => (
            <li>
              <a href={`/app/segments/${s.id}`}>{s.name}</a>
            </li>
          ))}
        </ul>
      )}
      <h2 class="gap">{f.t('segments.contact.accounts')}</h2>
      {props.accounts.length === 0 ? (
        <p class="muted">{f.t('segments.contact.noAccount')}</p>
      ) : (
        <ul id="contact-accounts">
          {props.accounts.map((a) => (
            <li>
              <a href={`/app/accounts/${a.id}`}>{a.name ?? a.groupId}</a>{' '}
              <span class="muted small">{f.t(`segments.role.${a.role}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
