// Signs a Chromium page in to the dashboard as the workspace's owner, the way a person does
// (docs/team.md): the owner is invited once through the API with the secret key and sets a
// password through the link; later pages sign in with e-mail and password.
import { expect } from 'vitest'
import type { Page } from 'playwright-core'

export const OWNER = { email: 'owner@northwind.example', password: 'an owner password for tests' }

const invited = new Map<string, Promise<string>>()
const accepted = new Set<string>()

/** The owner's invite link for the collector at `url`, made once per collector. */
function inviteOwner(url: string, secretKey: string): Promise<string> {
  let link = invited.get(url)
  if (!link) {
    link = fetch(`${url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: OWNER.email, role: 'owner' }),
    }).then(async (res) => {
      expect(res.status).toBe(201)
      return ((await res.json()) as { inviteUrl: string }).inviteUrl
    })
    invited.set(url, link)
  }
  return link
}

/** Signs `page` in as the owner and leaves it on `next` (a path under /app). */
export async function signInAsOwner(
  page: Page,
  collector: { url: string; secretKey: string },
  next = '/app',
): Promise<void> {
  if (!accepted.has(collector.url)) {
    await page.goto(await inviteOwner(collector.url, collector.secretKey))
    await page.fill('input[name=password]', OWNER.password)
    await page.click('main form button[type=submit]')
    await page.waitForURL(/\/app$/)
    accepted.add(collector.url)
  } else {
    await page.goto(`${collector.url}/app/login?next=${encodeURIComponent(next)}`)
    if (new URL(page.url()).pathname === '/app/login') {
      await page.fill('input[name=email]', OWNER.email)
      await page.fill('input[name=password]', OWNER.password)
      await page.click('main form button[type=submit]')
    }
  }
  if (new URL(page.url()).pathname !== next) await page.goto(`${collector.url}${next}`)
  await page.waitForURL(`${collector.url}${next}`)
}
