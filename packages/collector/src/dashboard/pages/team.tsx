/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'
import { ROLES, type Role, type SessionInfo, type User } from '../../team/port.js'
import { FormError } from '../views/form-error.js'
import type { Fmt } from '../views/intl.js'
import { When } from '../views/when.js'

type L = { locale: Locale; csrf: string }

const Csrf = (p: { csrf: string }) => <input type="hidden" name="_csrf" value={p.csrf} />

function RoleSelect(props: { locale: Locale; value?: Role }) {
  return (
    <select name="role">
      {ROLES.map((r) => (
        <option value={r} selected={r === (props.value ?? 'viewer')}>
          {t(props.locale, `team.role.${r}`)}
        </option>
      ))}
    </select>
  )
}

const status = (l: Locale, u: User) =>
  t(l, u.disabled ? 'team.team.removed' : u.active ? 'team.team.active' : 'team.team.invited')

/** The Team page: members with their roles, and the invite form. */
export function TeamBody(
  props: L & { users: User[]; invited?: { email: string; url: string }; error?: string },
) {
  const l = props.locale
  return (
    <>
      <h1>{t(l, 'team.team.title')}</h1>
      <FormError error={props.error} />
      {props.invited ? (
        <div class="card ok" role="status" id="invite-link">
          <p>{t(l, 'team.team.linkOnce', { email: props.invited.email })}</p>
          <pre>{props.invited.url}</pre>
        </div>
      ) : null}
      <div class="card">
        <table id="users">
          <thead>
            <tr>
              <th>{t(l, 'team.team.email')}</th>
              <th>{t(l, 'team.team.role')}</th>
              <th>{t(l, 'team.team.status')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{status(l, u)}</td>
                <td>
                  <a href={`/app/team/${u.id}`}>{t(l, 'team.team.open')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card filters" method="post" action="/app/team/invite" id="invite">
        <h2>{t(l, 'team.team.invite')}</h2>
        <Csrf csrf={props.csrf} />
        <label>
          {t(l, 'team.team.email')}
          <input type="email" name="email" required />
        </label>
        <label>
          {t(l, 'team.team.role')}
          <RoleSelect locale={l} />
        </label>
        <button class="primary" type="submit">
          {t(l, 'team.team.sendInvite')}
        </button>
      </form>
    </>
  )
}

/** A person's open sessions, each revocable; `action(id)` is where its revoke form posts. */
export function SessionsTable(
  props: L & {
    /** Dates in the workspace's time zone, in the reader's language. */
    f: Fmt
    sessions: SessionInfo[]
    current?: string
    action: (id: string) => string
  },
) {
  const { locale: l, f } = props
  if (props.sessions.length === 0) return <p class="muted">{t(l, 'team.sessions.none')}</p>
  return (
    <table id="sessions">
      <thead>
        <tr>
          <th>{t(l, 'team.sessions.device')}</th>
          <th>{t(l, 'team.sessions.ip')}</th>
          <th>{t(l, 'team.sessions.started')}</th>
          <th>{t(l, 'team.sessions.lastUsed')}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((s) => (
          <tr data-session={s.id}>
            <td>
              {s.userAgent ?? '–'}
              {s.id === props.current ? (
                <span class="muted"> ({t(l, 'team.sessions.current')})</span>
              ) : null}
            </td>
            <td>{s.ip ?? '–'}</td>
            <td class="nowrap">
              <When f={f} at={s.createdAt} />
            </td>
            <td class="nowrap">
              <When f={f} at={s.lastUsedAt} />
            </td>
            <td>
              <form method="post" action={props.action(s.id)}>
                <Csrf csrf={props.csrf} />
                <button type="submit">{t(l, 'team.sessions.revoke')}</button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** One member, for an owner: role, reset link, removal, and their sessions. */
export function UserBody(
  props: L & {
    f: Fmt
    user: User
    sessions: SessionInfo[]
    resetUrl?: string
    error?: string
    saved?: boolean
  },
) {
  const l = props.locale
  const u = props.user
  const base = `/app/team/${u.id}`
  return (
    <>
      <h1>{`${t(l, 'team.user.title')}: ${u.email}`}</h1>
      <p class="muted">{`${u.role} · ${status(l, u)}`}</p>
      <FormError error={props.error} />
      {props.saved ? (
        <p class="ok" role="status">
          {t(l, 'team.saved')}
        </p>
      ) : null}
      {props.resetUrl ? (
        <div class="card ok" role="status" id="reset-link">
          <p>{t(l, 'team.team.linkOnce', { email: u.email })}</p>
          <pre>{props.resetUrl}</pre>
        </div>
      ) : null}
      <div class="card">
        <form class="filters" method="post" action={`${base}/role`}>
          <Csrf csrf={props.csrf} />
          <label>
            {t(l, 'team.team.role')}
            <RoleSelect locale={l} value={u.role} />
          </label>
          <button type="submit">{t(l, 'team.user.changeRole')}</button>
        </form>
        <form class="filters" method="post" action={`${base}/reset`}>
          <Csrf csrf={props.csrf} />
          <button type="submit">{t(l, 'team.user.resetLink')}</button>
        </form>
        <form class="filters" method="post" action={`${base}/remove`}>
          <Csrf csrf={props.csrf} />
          <button type="submit">{t(l, 'team.user.remove')}</button>
        </form>
      </div>
      <div class="card">
        <h2>{t(l, 'team.sessions.title')}</h2>
        <SessionsTable
          locale={l}
          f={props.f}
          csrf={props.csrf}
          sessions={props.sessions}
          action={(id) => `${base}/sessions/${id}/revoke`}
        />
        <form class="gap" method="post" action={`${base}/sessions/revoke-all`} id="revoke-all">
          <Csrf csrf={props.csrf} />
          <button type="submit">{t(l, 'team.sessions.revokeAll')}</button>
        </form>
      </div>
    </>
  )
}
