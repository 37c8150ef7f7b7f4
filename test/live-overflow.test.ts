// The dashboard's Live page in real Chromium when the collector drops it for falling behind
// (packages/collector/src/live/subscriber.ts). With a cap of one queued entry, an event that
// scores publishes its events entry and its score entry at once: the second finds the queue
// full, so the page is dropped, told how many entries it missed, and reconnects by itself.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import { signInAsOwner } from './support/dashboard-owner.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser

beforeAll(async () => {
  collector = await startCollector({ liveStream: { maxEntries: 1 } })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

async function track(userId: string, event: string) {
  const res = await fetch(`${collector.url}/v1/track`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${btoa(`${collector.writeKey}:`)}`,
    },
    body: JSON.stringify({ userId, event }),
  })
  expect(res.status).toBe(200)
}

describe('Live page dropped by the collector', () => {
  it('says how many entries it missed, then reconnects and shows new activity', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage()
    await signInAsOwner(page, collector, '/app/live')
    await expect.poll(() => page.locator('#status').innerText()).toContain('Connected')

    // +30 (the default demo-request rule): events, score and grade entries in one publish.
    await track('overflow-1', 'Demo Requested')
    const gap = page.locator('#feed li.gap')
    await gap.first().waitFor({ timeout: 15_000 })
    // The events entry queued, the score entry did not fit; the grade entry came after the drop.
    expect(await gap.first().innerText()).toContain(
      '2 entries were skipped: this page fell behind the live feed.',
    )
    expect(await page.locator('#feed li.event').count()).toBe(0)

    // EventSource reconnects on its own: an event that scores nothing (one entry) then shows.
    const seen = page.locator('#feed li.event', { hasText: 'Reconnected Check' })
    for (let i = 0; i < 20 && (await seen.count()) === 0; i++) {
      await track(`overflow-2-${i}`, 'Reconnected Check')
      await page.waitForTimeout(1_000)
    }
    expect(await seen.count()).toBeGreaterThan(0)
    // It reconnected with Last-Event-ID, but what it missed is more than its queue may hold
    // (live/subscriber.ts): it is told so rather than dropped again for the same entries.
    expect(await page.locator('#feed li.gap', { hasText: 'could not be replayed' }).count()).toBe(1)
    await expect.poll(() => page.locator('#status').innerText()).toContain('Connected')
  })
})

describe('Live page times', () => {
  it('shows an entry at the time the collector stored it (a replayed entry keeps its own), on a 24-hour clock', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage()
    // The stream answered by the test: one events entry stored at 15:04:05 UTC (the workspace's
    // zone is UTC), as a replay after a reconnect would send it long after it was stored.
    const at = '2026-01-02T15:04:05.000Z'
    const entry = {
      kind: 'events',
      at,
      events: [
        {
          messageId: 'm-1',
          contactId: '00000000-0000-4000-8000-000000000001',
          type: 'track',
          name: 'Replayed',
          timestamp: at,
        },
      ],
    }
    await page.route('**/app/live/stream', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
        body: `event: ready\ndata: {}\n\nevent: events\nid: 1-1\ndata: ${JSON.stringify(entry)}\n\n`,
      }),
    )
    await signInAsOwner(page, collector, '/app/live')
    const time = page.locator('#feed li.event', { hasText: 'Replayed' }).first().locator('time')
    await time.waitFor()
    expect(await time.getAttribute('datetime')).toBe(at)
    expect(await time.innerText()).toBe('15:04:05')
  })
})
