// OpenID Connect sign-in (docs/team.md) against a real provider: the `oidc-provider` package (a
// certified OpenID Provider) on 127.0.0.1, with its development login and consent pages, driven
// in real Chromium. An allowed-domain e-mail becomes a member with the configured default role
// and is signed in; any other domain is refused and gets no session.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import Provider from 'oidc-provider'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import { freePort } from './setup/servers.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let idp: Server
let browser: Browser

beforeAll(async () => {
  const [idpPort, port] = [await freePort(), await freePort()]
  const issuer = `http://127.0.0.1:${idpPort}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'lodestone',
        client_secret: 'lodestone-client-secret',
        redirect_uris: [`http://127.0.0.1:${port}/app/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The development login page takes any login: here the login is the e-mail address.
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true }),
    }),
    cookies: { keys: ['oidc-test-cookie-key'] },
  })
  idp = provider.listen(idpPort, '127.0.0.1')
  await new Promise((r) => idp.once('listening', r))
  expect((idp.address() as AddressInfo).port).toBe(idpPort)
  collector = await startCollector({
    port,
    oidc: {
      issuer,
      clientId: 'lodestone',
      clientSecret: 'lodestone-client-secret',
      allowedDomain: 'corp.example',
      defaultRole: 'marketer',
    },
  })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await collector?.stop()
  await new Promise((r) => idp?.close(r))
})

/** Through the provider's development login and consent pages. */
async function signInAtProvider(page: Page, login: string) {
  await page.goto(`${collector.url}/app/contacts`)
  await page.click('#oidc')
  await page.fill('input[name=login]', login)
  await page.fill('input[name=password]', 'any')
  await page.click('button[type=submit]')
  await page.locator('button[type=submit]').first().click() // consent: Continue
}

describe('OpenID Connect sign-in', () => {
  it('signs in an allowed-domain e-mail as a new member with the default role', async () => {
    const page = await (await browser.newContext()).newPage()
    await signInAtProvider(page, 'ana@corp.example')
    await page.waitForURL(`${collector.url}/app/contacts`)
    expect(await page.locator('h1').first().innerText()).toBeTruthy()
    const [user] = await collector.store
      .sql`select role, workspace_id from users where email = 'ana@corp.example'`
    expect(user).toMatchObject({ role: 'marketer', workspace_id: collector.workspaceId })
    // The marketer may edit rules but not open the Team page.
    expect((await page.goto(`${collector.url}/app/rules`))!.status()).toBe(200)
    expect((await page.goto(`${collector.url}/app/team`))!.status()).toBe(403)
    const [entry] = await collector.store
      .sql`select action, detail from audit_entries where actor_label = 'ana@corp.example'`
    expect(entry).toMatchObject({ action: 'signin', detail: { method: 'oidc' } })
    await page.context().close()
  })

  it('refuses an e-mail outside the allowed domain and starts no session', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signInAtProvider(page, 'eve@elsewhere.example')
    await page.waitForURL(/\/app\/oidc\/callback/)
    expect(await page.locator('main').innerText()).not.toContain('Contacts ranked')
    expect((await context.cookies()).some((c) => c.name === 'lodestone_session')).toBe(false)
    const [none] = await collector.store
      .sql`select count(*)::int as n from users where email = 'eve@elsewhere.example'`
    expect(none!.n).toBe(0)
    await context.close()
  })
})
