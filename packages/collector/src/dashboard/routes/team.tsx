/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Signed-in team pages: sign-out, my sessions, the Team page and a member's page (owners), API
// keys (owners) and the audit trail (owners and admins). Who may open which is decided in
// auth/permissions.ts before these handlers run; changes are audited by auth/authorize.ts.
import { Hono } from 'hono'
import { endSession, SESSION_IDLE_MS, type DashboardEnv } from '../auth/guard.js'
import type { TeamDeps } from '../../deps.js'
import { page, type Ctx } from '../render.js'
import { t } from '../i18n/index.js'
import { TeamBody, UserBody, SessionsTable } from '../pages/team.js'
import { KeysBody } from '../pages/keys.js'
import { AuditBody, type AuditFilters } from '../pages/audit.js'
import { CollectorError } from '../../errors.js'
import { auditChange } from '../../audit/record.js'
import { auditQuery } from '../../routes/audit.js'
import { publicBase } from '../../routes/users.js'
import { inviteUser, issueLink, parseRole } from '../../team/invites.js'
import { createApiKey, parseKeyName, parseScopes, rotateApiKey } from '../../team/api-keys.js'

const notFound = () => new CollectorError('not_found', 'No such team member')
const who = (c: Ctx) => `user:${c.var.session.user.id}`

/** A 4xx CollectorError's message shown inline; anything else is rethrown. */
async function inline<T>(fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof CollectorError && err.status < 500) return { error: err.message }
    throw err
  }
}

function accountRoutes(app: Hono<DashboardEnv>, deps: TeamDeps) {
  app.post('/logout', async (c) => {
    await endSession(c, deps, c.var.session)
    return c.redirect('/app/login', 303)
  })
  app.get('/account', async (c) => {
    const s = c.var.session
    const sessions = await deps.team.listSessions(
      s.workspace.id,
      s.user.id,
      deps.clock.now(),
      SESSION_IDLE_MS,
    )
    return page(
      c,
      t(c.var.locale, 'team.nav.account'),
      'account',
      <>
        <h1>{`${t(c.var.locale, 'team.nav.account')}: ${s.user.email}`}</h1>
        <div class="card">
          <SessionsTable
            locale={c.var.locale}
            f={c.var.fmt}
            csrf={s.csrf}
            sessions={sessions}
            current={s.session.id}
            action={(id) => `/app/account/sessions/${id}/revoke`}
          />
        </div>
      </>,
    )
  })
  app.post('/account/sessions/:id/revoke', async (c) => {
    const s = c.var.session
    const id = c.req.param('id')
    if (!(await deps.team.revokeSession(s.workspace.id, id, deps.clock.now(), s.user.id)))
      throw new CollectorError('not_found', 'No such session')
    auditChange(c, { target: id })
    return c.redirect(id === s.session.id ? '/app/login' : '/app/account', 303)
  })
}

/** True when taking `userId` out of the owner role would leave the workspace without an owner. */
async function lastOwner(deps: TeamDeps, workspaceId: string, userId: string) {
  const owners = (await deps.team.listUsers(workspaceId)).filter(
    (u) => u.role === 'owner' && !u.disabled,
  )
  return owners.length === 1 && owners[0]!.id === userId
}

function memberRoutes(app: Hono<DashboardEnv>, deps: TeamDeps) {
  const ws = (c: Ctx) => c.var.session.workspace.id
  const teamPage = async (
    c: Ctx,
    extra: { invited?: { email: string; url: string }; error?: string } = {},
    status = 200,
  ) =>
    page(
      c,
      t(c.var.locale, 'team.team.title'),
      'team',
      <TeamBody
        locale={c.var.locale}
        csrf={c.var.session.csrf}
        users={await deps.team.listUsers(ws(c))}
        {...extra}
      />,
      status,
    )
  const userPage = async (
    c: Ctx,
    extra: { resetUrl?: string; error?: string } = {},
    status = 200,
  ) => {
    const user = await deps.team.getUser(ws(c), c.req.param('id') ?? '')
    if (!user) throw notFound()
    const sessions = await deps.team.listSessions(ws(c), user.id, deps.clock.now(), SESSION_IDLE_MS)
    return page(
      c,
      t(c.var.locale, 'team.user.title'),
      'team',
      <UserBody
        locale={c.var.locale}
        f={c.var.fmt}
        csrf={c.var.session.csrf}
        user={user}
        sessions={sessions}
        saved={c.req.query('saved') === '1'}
        {...extra}
      />,
      status,
    )
  }

  app.get('/team', (c) => teamPage(c))
  app.post('/team/invite', async (c) => {
    const form = await c.req.parseBody()
    const result = await inline(() =>
      inviteUser(
        deps.team,
        ws(c),
        { email: form.email, role: form.role },
        deps.clock.now(),
        publicBase(deps, c.req.url),
      ),
    )
    if ('error' in result) return teamPage(c, { error: result.error }, 400)
    auditChange(c, {
      target: result.user.id,
      after: { email: result.user.email, role: result.user.role },
    })
    return teamPage(c, { invited: { email: result.user.email, url: result.inviteUrl } })
  })
  app.get('/team/:id', (c) => userPage(c))
  app.post('/team/:id/role', async (c) => {
    const id = c.req.param('id')
    const before = await deps.team.getUser(ws(c), id)
    if (!before) throw notFound()
    const role = await inline(async () => parseRole((await c.req.parseBody()).role))
    if (typeof role !== 'string') return userPage(c, role, 400)
    if (role !== 'owner' && (await lastOwner(deps, ws(c), id)))
      return userPage(c, { error: t(c.var.locale, 'team.user.lastOwner') }, 400)
    await deps.team.setRole(ws(c), id, role)
    auditChange(c, { target: id, before: { role: before.role }, after: { role } })
    return c.redirect(`/app/team/${id}?saved=1`, 303)
  })
  app.post('/team/:id/reset', async (c) => {
    const user = await deps.team.getUser(ws(c), c.req.param('id'))
    if (!user || user.disabled) throw notFound()
    const resetUrl = await issueLink(
      deps.team,
      user,
      'reset',
      deps.clock.now(),
      publicBase(deps, c.req.url),
    )
    auditChange(c, { target: user.id })
    return userPage(c, { resetUrl })
  })
  app.post('/team/:id/remove', async (c) => {
    const id = c.req.param('id')
    if (await lastOwner(deps, ws(c), id))
      return userPage(c, { error: t(c.var.locale, 'team.user.lastOwner') }, 400)
    if (!(await deps.team.disableUser(ws(c), id, deps.clock.now()))) throw notFound()
    return c.redirect('/app/team', 303)
  })
  app.post('/team/:id/sessions/revoke-all', async (c) => {
    const id = c.req.param('id')
    if (!(await deps.team.getUser(ws(c), id))) throw notFound()
    const ended = await deps.team.revokeUserSessions(ws(c), id, deps.clock.now())
    auditChange(c, { target: id, detail: { ended } })
    return c.redirect(`/app/team/${id}?saved=1`, 303)
  })
  app.post('/team/:id/sessions/:sid/revoke', async (c) => {
    const { id, sid } = c.req.param()
    if (!(await deps.team.revokeSession(ws(c), sid, deps.clock.now(), id)))
      throw new CollectorError('not_found', 'No such session')
    return c.redirect(`/app/team/${id}?saved=1`, 303)
  })
}

function keyPages(app: Hono<DashboardEnv>, deps: TeamDeps) {
  const ws = (c: Ctx) => c.var.session.workspace.id
  const keysPage = async (
    c: Ctx,
    extra: { created?: { key: string; rotated: boolean }; error?: string } = {},
    status = 200,
  ) =>
    page(
      c,
      t(c.var.locale, 'team.keys.title'),
      'keys',
      <KeysBody
        locale={c.var.locale}
        fmt={c.var.fmt}
        csrf={c.var.session.csrf}
        keys={await deps.team.listApiKeys(ws(c), deps.clock.now())}
        {...extra}
      />,
      status,
    )
  app.get('/keys', (c) => keysPage(c))
  app.post('/keys', async (c) => {
    const form = await c.req.parseBody({ all: true })
    const created = await inline(() =>
      createApiKey(deps.team, ws(c), {
        name: parseKeyName(form.name),
        scopes: parseScopes(form.scopes),
        createdBy: who(c),
      }),
    )
    if ('error' in created) return keysPage(c, { error: created.error }, 400)
    auditChange(c, { target: created.id, after: { name: created.name, scopes: created.scopes } })
    return keysPage(c, { created: { key: created.key, rotated: false } })
  })
  app.post('/keys/:id/rotate', async (c) => {
    const id = c.req.param('id')
    const rotated = await rotateApiKey(deps.team, ws(c), id, deps.clock.now(), who(c))
    auditChange(c, {
      target: id,
      detail: { newKeyId: rotated.id, graceUntil: rotated.previous.expiresAt },
    })
    return keysPage(c, { created: { key: rotated.key, rotated: true } })
  })
  app.post('/keys/:id/revoke', async (c) => {
    if (!(await deps.team.revokeApiKey(ws(c), c.req.param('id'), deps.clock.now())))
      throw new CollectorError('not_found', 'No such key')
    return c.redirect('/app/keys', 303)
  })
}

function auditPage(app: Hono<DashboardEnv>, deps: TeamDeps) {
  app.get('/audit', async (c) => {
    const q = c.req.query()
    const filters: AuditFilters = { action: q.action, actor: q.actor, from: q.from, to: q.to }
    const query = await inline(async () =>
      auditQuery({ ...q, to: q.to ? `${q.to}T23:59:59.999Z` : '' }),
    )
    const result =
      'error' in query
        ? null
        : await inline(() => deps.team.listAudit(c.var.session.workspace.id, query))
    const ok = result && !('error' in result) ? result : null
    return page(
      c,
      t(c.var.locale, 'team.audit.title'),
      'audit',
      <AuditBody
        locale={c.var.locale}
        fmt={c.var.fmt}
        filters={filters}
        entries={ok?.entries ?? []}
        next={ok?.next ?? null}
        error={ok ? undefined : t(c.var.locale, 'team.audit.bad')}
      />,
      ok ? 200 : 400,
    )
  })
}

/** The team pages, mounted after the dashboard's CSRF check. */
export function teamRoutes(deps: TeamDeps) {
  const app = new Hono<DashboardEnv>()
  accountRoutes(app, deps)
  memberRoutes(app, deps)
  keyPages(app, deps)
  auditPage(app, deps)
  return app
}
