// Teams end to end (issue 15, docs/team.md) in real Chromium against two real `lodestone start`
// processes on one PostgreSQL database, sharing LODESTONE_SESSION_SECRET. An owner made by the
// CLI invites a marketer and a viewer from the Team page; each signs in; the viewer sees masked
// e-mails, has no export and is refused a rules change; the marketer edits a rule; the owner
// revokes the marketer's session and the marketer's next request, on the other process, goes
// to sign-in; copied and forged cookies are refused; the audit trail tells the whole story.
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { freshDatabase, spawnCollector, type ChildCollector } from './support/child-collector.js'

const BIN = fileURLToPath(new URL('../packages/collector/bin/lodestone.mjs', import.meta.url))
const SECRET = 'e2e-team-session-secret-0123456789abcdefghij'
const shots = fileURLToPath(new URL('../test-results/', import.meta.url))

let db: Awaited<ReturnType<typeof freshDatabase>>
let a: ChildCollector
let b: ChildCollector
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  db = await freshDatabase()
  const env = { LODESTONE_SESSION_SECRET: SECRET }
  ;[a, b] = await Promise.all([spawnCollector(db.url, env), spawnCollector(db.url, env)])
  browser = await launchChromium()
})
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {})
  await browser?.close()
  for (const c of [a, b]) c?.kill('SIGTERM')
  await Promise.all([a?.exited, b?.exited])
  await db?.store.close()
})

async function person(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  contexts.push(context)
  return context.newPage()
}

/** Opens an invite link and sets a password: the person is then signed in on /app. */
async function acceptInvite(page: Page, url: string, password: string) {
  await page.goto(url)
  await page.fill('input[name=password]', password)
  await page.click('main form button[type=submit]')
  await page.waitForURL(/\/app$/)
}

const sessionCookie = async (page: Page) =>
  (await page.context().cookies()).find((c) => c.name === 'lodestone_session')!.value

/** A request with only this cookie, without following redirects: where would it be sent? */
const withCookie = (url: string, cookie: string) =>
  fetch(url, { headers: { cookie: `lodestone_session=${cookie}` }, redirect: 'manual' })

describe('a marketing team in the dashboard', () => {
  it('invites, signs in, masks, refuses, revokes on every process, and audits it all', async () => {
    // A customer to look at, with an e-mail address.
    const sent = await fetch(`${a.url}/v1/identify`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${db.workspace.writeKey}:`)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        userId: 'grace',
        traits: { email: 'grace.hopper@northwind.example', name: 'Grace Hopper' },
      }),
    })
    expect(sent.status).toBe(200)

    // The first owner comes from the CLI, with the fixed JSON shape.
    const port = new URL(a.url).port
    const out = execFileSync(
      process.execPath,
      [
        BIN,
        'user',
        'create',
        '--workspace',
        db.workspace.id,
        '--email',
        'olivia@northwind.example',
        '--role',
        'owner',
        '--json',
      ],
      {
        env: { ...process.env, DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: port },
        encoding: 'utf8',
      },
    )
    const created = JSON.parse(out.trim().split('\n').at(-1)!)
    expect(Object.keys(created).sort()).toEqual(['email', 'id', 'inviteUrl', 'role'])
    expect(created.role).toBe('owner')
    expect(created.inviteUrl).toMatch(new RegExp(`^${a.url}/app/`))

    const owner = await person()
    await acceptInvite(owner, created.inviteUrl, 'owner password 1')

    // The owner invites a marketer and a viewer from the Team page.
    const invite = async (email: string, role: string) => {
      await owner.goto(`${a.url}/app/team`)
      await owner.fill('#invite input[name=email]', email)
      await owner.selectOption('#invite select[name=role]', role)
      await owner.click('#invite button[type=submit]')
      return (await owner.locator('#invite-link pre').innerText()).trim()
    }
    const marketerLink = await invite('mark@northwind.example', 'marketer')
    const viewerLink = await invite('vera@northwind.example', 'viewer')
    expect(marketerLink).not.toBe(viewerLink)
    await owner.screenshot({ path: `${shots}team-page.png`, fullPage: true })

    const marketer = await person()
    await acceptInvite(marketer, marketerLink, 'marketer password 1')
    const viewer = await person()
    await acceptInvite(viewer, viewerLink, 'viewer password 1')
    // An invite link works once.
    const again = await person()
    await again.goto(viewerLink)
    expect(await again.locator('input[name=password]').count()).toBe(0)

    // The viewer signs out and in again with e-mail and password, on the other process;
    // a wrong password first.
    await viewer.goto(`${b.url}/app`)
    await viewer.click('header form button[type=submit]')
    await viewer.waitForURL(/\/app\/login/)
    await viewer.fill('input[name=email]', 'vera@northwind.example')
    await viewer.fill('input[name=password]', 'not my password')
    await viewer.click('main form button[type=submit]')
    await expect.poll(() => viewer.locator('[role=alert]').count()).toBe(1)
    await viewer.fill('input[name=password]', 'viewer password 1')
    await viewer.click('main form button[type=submit]')
    await viewer.waitForURL(/\/app$/)

    // Masked e-mails, no export, and 403 on a rules change.
    await viewer.goto(`${b.url}/app/contacts`)
    const list = await viewer.locator('main').innerText()
    expect(list).toContain('g•••@northwind.example')
    expect(list).not.toContain('grace.hopper@')
    expect(await viewer.locator('#export').count()).toBe(0)
    await viewer.screenshot({ path: `${shots}team-viewer-contacts.png` })
    const exported = await viewer.context().request.get(`${b.url}/v1/contacts/export?format=csv`)
    expect(exported.status()).toBe(403)
    await viewer.goto(`${b.url}/app/rules`)
    const csrf = await viewer.locator('input[name=_csrf]').first().inputValue()
    const refused = await viewer.context().request.post(`${b.url}/app/rules`, {
      form: { _csrf: csrf, rules: '{"rules":[]}' },
    })
    expect(refused.status()).toBe(403)
    // The owner sees the full address and may export.
    await owner.goto(`${b.url}/app/contacts`)
    expect(await owner.locator('main').innerText()).toContain('grace.hopper@northwind.example')
    expect(await owner.locator('#export').count()).toBe(1)

    // The marketer edits a rule (on process B).
    await marketer.goto(`${b.url}/app/rules`)
    const rules = JSON.parse(await marketer.locator('textarea[name=rules]').inputValue())
    rules.rules[0].points += 5
    // Saved with the marketer's session through the API (the session's CSRF token in the
    // header), the way the page's scripts may: the dashboard's rule editor is tested elsewhere.
    const token = await marketer.locator('input[name=_csrf]').first().inputValue()
    const saved = await marketer.context().request.put(`${b.url}/v1/scoring/rules`, {
      headers: { 'x-csrf-token': token, 'content-type': 'application/json' },
      data: JSON.stringify(rules),
    })
    expect(saved.status()).toBe(200)

    // The owner revokes the marketer's session on A; the marketer's next request, on B, goes
    // to sign-in.
    const marketerId = (
      await db.store.sql`select id from users where email = 'mark@northwind.example'`
    )[0]!.id
    await owner.goto(`${a.url}/app/team/${marketerId}`)
    await expect.poll(() => owner.locator('#sessions tbody tr').count()).toBe(1)
    await owner.click('#sessions tbody tr form button[type=submit]')
    await owner.waitForURL(/saved=1/)
    expect(await owner.locator('#sessions tbody tr').count()).toBe(0)
    await marketer.goto(`${b.url}/app/rules`)
    expect(new URL(marketer.url()).pathname).toBe('/app/login')

    // A cookie copied before sign-out is refused after it (on either process).
    const copied = await sessionCookie(owner)
    expect((await withCookie(`${b.url}/app/contacts`, copied)).status).toBe(200)
    await owner.goto(`${a.url}/app`)
    await owner.click('header form button[type=submit]')
    await owner.waitForURL(/\/app\/login/)
    for (const c of [a, b]) {
      const res = await withCookie(`${c.url}/app/contacts`, copied)
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toMatch(/^\/app\/login/)
    }

    // Cookies forged from anything stored in the database are refused.
    const [ws] = await db.store.sql`select * from workspaces where id = ${db.workspace.id}`
    const [live] = await db.store.sql`select * from sessions where revoked_at is null limit 1`
    expect(live).toBeDefined()
    const mac = (key: string, msg: string) =>
      createHmac('sha256', key).update(msg).digest('base64url')
    const body = `v1.${db.workspace.id}.${Date.now() + 3_600_000}.forged`
    const forged = [
      `${body}.${mac(ws!.secret_key_hash, `lodestone.session|${body}`)}`, // the old scheme
      live!.token_hash as string, // the stored digest itself
      mac(ws!.secret_key_hash, live!.id as string),
      mac(live!.token_hash as string, 'session'),
    ]
    for (const cookie of forged) {
      const res = await withCookie(`${b.url}/app/contacts`, encodeURIComponent(cookie))
      expect(res.status, cookie).toBe(303)
    }
    // (The viewer's genuine session still works.)
    expect((await withCookie(`${b.url}/app/contacts`, await sessionCookie(viewer))).status).toBe(
      200,
    )

    // The audit trail of the whole story.
    const audit = await (
      await fetch(`${a.url}/v1/audit?limit=100`, {
        headers: { authorization: `Bearer ${db.workspace.secretKey}` },
      })
    ).json()
    type Entry = {
      action: string
      actor: { kind: string; id: string | null; label: string | null }
      target: string | null
      ip: string | null
      before?: unknown
      after?: unknown
      detail?: Record<string, unknown>
    }
    const story = (audit.entries as Entry[])
      .slice()
      .reverse()
      .map((e) => `${e.action} by ${e.actor.label}`)
    expect(story).toEqual([
      'user.invite by cli',
      'user.joined by olivia@northwind.example',
      'user.invite by olivia@northwind.example',
      'user.invite by olivia@northwind.example',
      'user.joined by mark@northwind.example',
      'user.joined by vera@northwind.example',
      'signout by vera@northwind.example',
      'signin.failed by vera@northwind.example',
      'signin by vera@northwind.example',
      'rules.update by mark@northwind.example',
      'session.revoke by olivia@northwind.example',
      'signout by olivia@northwind.example',
    ])
    const entries = audit.entries as Entry[]
    const rulesUpdate = entries.find((e) => e.action === 'rules.update')!
    expect(rulesUpdate.before).toBeDefined()
    expect(JSON.stringify(rulesUpdate.after)).toContain(String(rules.rules[0].points))
    expect(entries.find((e) => e.action === 'session.revoke')!.target).toContain(marketerId)
    expect(entries.every((e) => e.actor.label === 'cli' || e.ip === '127.0.0.1')).toBe(true)
    expect(audit.next).toBeNull()
  })
})
