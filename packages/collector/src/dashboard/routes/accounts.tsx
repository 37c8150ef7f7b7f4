/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import { ACCOUNT_SORTS, type AccountSort } from '../../segments/dashboard-port.js'
import type { DashboardEnv } from '../auth/guard.js'
import { AccountBody, AccountsBody, type AccountProfile } from '../pages/accounts.js'
import { page } from '../render.js'

const PAGE_SIZE = 50
const MAX_PAGE = 10_000

/** Accounts ranked by score (any column sortable) and one account's profile. docs/accounts.md. */
export function accountsRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()

  app.get('/accounts', async (c) => {
    if (!deps.audienceReads) throw new CollectorError('store_unavailable', 'Accounts unavailable')
    const ws = c.var.session.workspace.id
    const q = c.req.query()
    const sort: AccountSort = (ACCOUNT_SORTS as readonly string[]).includes(q.sort ?? '')
      ? (q.sort as AccountSort)
      : 'total'
    const desc = q.dir !== 'asc'
    const pageNo = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number(q.page)) || 1))
    const [ranked, grades] = await Promise.all([
      deps.audienceReads.rankAccounts(ws, {
        sort,
        desc,
        limit: PAGE_SIZE,
        offset: (pageNo - 1) * PAGE_SIZE,
        now: deps.clock.now(),
      }),
      deps.store.scoreGrades(ws),
    ])
    const f = c.var.fmt
    return page(
      c,
      f.t('accounts.title'),
      'accounts',
      <AccountsBody
        f={f}
        accounts={ranked.accounts}
        total={ranked.total}
        sort={sort}
        desc={desc}
        page={pageNo}
        pageSize={PAGE_SIZE}
        topGrade={grades[grades.length - 1]?.name ?? null}
      />,
    )
  })

  app.get('/accounts/:id', async (c) => {
    if (!deps.segments) throw new CollectorError('store_unavailable', 'Accounts unavailable')
    const ws = c.var.session.workspace.id
    const ref = c.req.param('id').slice(0, 200)
    const [account, grades] = await Promise.all([
      deps.segments.getAccount(ws, ref, deps.clock.now()),
      deps.store.scoreGrades(ws),
    ])
    if (!account) throw new CollectorError('not_found', 'No such account')
    const a = account as unknown as AccountProfile
    // A merged-away id or a groupId shows the account under its own address.
    if (a.id !== ref) return c.redirect(`/app/accounts/${a.id}`, 302)
    const f = c.var.fmt
    const name = typeof a.traits.name === 'string' && a.traits.name ? a.traits.name : a.groupId
    return page(
      c,
      name,
      'accounts',
      <AccountBody f={f} account={a} topGrade={grades[grades.length - 1]?.name ?? null} />,
    )
  })

  return app
}
