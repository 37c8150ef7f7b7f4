import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTestStore } from '../test-support/stores.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { FUZZ_BACKEND, runs } from '../test-support/hostile.js'
import {
  fuzzForm,
  fuzzRoute,
  openDashboardCampaign,
  pageForms,
  tallyLine,
  type DashboardCampaign,
} from '../test-support/dashboard-campaign.js'
import { permissionOf, roleHolds } from '../auth/permissions.js'
import type { Role } from '../team/port.js'

// The dashboard's form campaigns of dashboard.fuzz.test.ts again as a marketer and a viewer
// (docs/team.md): what their role does not hold answers 403, a viewer changes no row, a marketer
// no row of the team, keys or settings.

let c: DashboardCampaign
// A streamed answer that fails after its 200 is logged by Hono (console.error), not answered.
const streamErrors = vi.spyOn(console, 'error')

beforeAll(async () => {
  c = await openDashboardCampaign(await openTestStore(FUZZ_BACKEND))
})

afterAll(async () => {
  if (!c) return
  console.log(`[fuzz] dashboard roles: ${tallyLine(c)}`)
  await c.store.close()
})

/** Whether `role` holds the permission of the POST route answering `path` (auth/permissions.ts). */
function roleMay(role: Role, path: string): boolean {
  const bare = path.split('?')[0]!
  const route = c.routes.find((r) => new RegExp(`^${r.replace(/:\w+/g, '[^/]+')}$`).test(bare))
  const permission = route ? permissionOf('POST', route) : undefined
  expect(permission, path).toBeDefined()
  return roleHolds(role, permission!)
}

/**
 * Every table's rows (or `only` these) as a count and a digest: whether a campaign changed anything.
 * Sessions are always left out: every request marks its session used (dashboard/auth/guard.ts).
 */
async function tableDigests(only?: string[]): Promise<Record<string, string>> {
  const tables = (
    await c.store.sql`select tablename from pg_tables where schemaname = 'public' order by 1`
  )
    .map((r) => String(r.tablename))
    .filter((name) => name !== 'sessions' && (!only || only.includes(name)))
  const out: Record<string, string> = {}
  for (const name of tables) {
    const [row] = await c.store.sql.unsafe(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${name}" t`,
    )
    out[name] = `${row!.n} ${row!.h}`
  }
  return out
}

// What the marketer may not change (docs/team.md: rules, segments and lists are theirs; the
// team, keys, settings, webhooks and erasure are not), as the tables those forms write.
const ADMIN_TABLES = ['users', 'user_tokens', 'api_keys', 'dashboard_settings']
  .concat(['lifecycle_settings', 'ad_costs', 'quality_scans', 'quality_schedules', 'webhooks'])
  .concat(['workspaces', 'consents', 'subscriptions'])

describe('dashboard forms as the lower roles: a marketer and a viewer', () => {
  // The owner's campaigns (dashboard.fuzz.test.ts), with fewer runs, as roles that hold less
  // (docs/team.md). Public forms (sign-in, invites) are the owner campaign's: a session changes
  // nothing for them.
  const sessionRoutes = () =>
    c.routes.filter((r) => r !== '/app/logout' && permissionOf('POST', r) !== 'public')

  async function signedIn(role: Role) {
    const client = dashboardClient(c.t.app)
    expect((await client.signIn(c.t.ws.secretKey, role)).status).toBe(303)
    const token = await client.csrf()
    expect(token).not.toBe('')
    return { role, client, token }
  }

  async function campaign({ role, client, token }: Awaited<ReturnType<typeof signedIn>>) {
    const failures: string[] = []
    let refused = 0
    const mustRefuse = (path: string) => (res: Response) => {
      if (roleMay(role, path)) return
      refused++
      expect(res.status, `${role} POST ${path.slice(0, 200)}`).toBe(403)
    }
    for (const form of await pageForms(c))
      await fuzzForm(c, form, client, token, runs(8), failures, mustRefuse(form.action))
    for (const route of sessionRoutes())
      await fuzzRoute(c, route, client, token, runs(8), failures, mustRefuse(route))
    expect(failures).toEqual([])
    expect(streamErrors.mock.calls.map((c) => String(c[0]).slice(0, 300))).toEqual([])
    // Still signed in: nothing above ended the role's own session.
    expect((await client.get('/app/live')).status).toBe(200)
    return refused
  }

  it('a viewer changes nothing: every form answers 403 and every table is as before', async () => {
    const viewer = await signedIn('viewer')
    // Read first: the owner's pages compute and store whole-workspace figures (snapshots.ts).
    await pageForms(c)
    const before = await tableDigests()
    const refused = await campaign(viewer)
    expect(refused).toBeGreaterThan(50)
    // The audit trail too: a refused request is not an entry (auth/authorize.ts).
    expect(await tableDigests()).toEqual(before)
  }, 60_000)

  it('a marketer reaches no admin-only form: each answers 403, and the admin tables are as before', async () => {
    const marketer = await signedIn('marketer')
    const before = await tableDigests(ADMIN_TABLES)
    expect(Object.keys(before).length).toBe(ADMIN_TABLES.length)
    const contacts = await c.store.sql`select id from contacts order by id`
    const refused = await campaign(marketer)
    expect(refused).toBeGreaterThan(20)
    expect(await tableDigests(ADMIN_TABLES)).toEqual(before)
    // No erasure either (contacts/erase is the owner's).
    expect(await c.store.sql`select id from contacts order by id`).toEqual(contacts)
  }, 60_000)
})
