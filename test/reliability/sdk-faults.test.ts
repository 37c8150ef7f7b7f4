import { type Browser } from 'playwright-core'
import { ensureSdkBuilt, launchChromium } from '../support/chromium.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPages } from '../fixtures/sdk-pages/pages.js'
import { startCollector } from '../support/collector.js'
import { freshDatabase } from '../support/child-collector.js'
import { startFlakyProxy } from '../support/flaky-proxy.js'
import { report, scale, sleep } from '../support/load.js'

// The browser SDK in real Chromium, talking to the collector through a proxy that fails half
// of all requests at random (503s, connections cut before and after the collector stored the
// batch), then recovers. Every event must be stored exactly once, counted in PostgreSQL.

let db: Awaited<ReturnType<typeof freshDatabase>>
let collector: Awaited<ReturnType<typeof startCollector>>
let proxy: Awaited<ReturnType<typeof startFlakyProxy>>
let pages: Awaited<ReturnType<typeof startPages>>
let browser: Browser

beforeAll(async () => {
  ensureSdkBuilt()
  db = await freshDatabase()
  collector = await startCollector({ databaseUrl: db.url })
  proxy = await startFlakyProxy(collector.url)
  // The page loads /sdk.js from the proxy, so the SDK sends to the proxy's origin.
  pages = await startPages(proxy.url, collector.writeKey)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await pages?.stop()
  await proxy?.stop()
  await collector?.stop()
  await db?.store.close()
})

describe('SDK in Chromium behind a collector failing 50% of requests', () => {
  it('delivers every event exactly once after the faults stop', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${pages.url}/tag/chaos`)
    await page.waitForFunction(
      () => (window as unknown as { lodestone?: { loaded?: boolean } }).lodestone?.loaded === true,
    )
    proxy.setFailing(true)
    const rounds = scale(8, 30)
    const perRound = 5
    for (let r = 0; r < rounds; r++) {
      await page.evaluate(
        ([r, n]) => {
          const l = (window as unknown as { lodestone: Record<string, (...a: unknown[]) => void> })
            .lodestone
          for (let i = 0; i < n!; i++) l.track!('Chaos', { seq: r! * n! + i })
          l.flush!()
        },
        [r, perRound],
      )
      await sleep(400)
    }
    await sleep(2_000)
    proxy.setFailing(false)
    await page.evaluate(() =>
      (window as unknown as { lodestone: { flush(): void } }).lodestone.flush(),
    )
    const expected = rounds * perRound
    const sql = collector.store.sql
    const count = async () =>
      (
        await sql`select count(*)::int as n from events
          where workspace_id = ${collector.workspaceId} and event = 'Chaos'`
      )[0]!.n as number
    const deadline = Date.now() + 60_000
    while ((await count()) < expected && Date.now() < deadline) await sleep(250)
    await sleep(1_500) // a late duplicate would show up now

    const perSeq = await sql`select (payload->'properties'->>'seq')::int as seq, count(*)::int as n
      from events where workspace_id = ${collector.workspaceId} and event = 'Chaos'
      group by 1 order by 1`
    const byMessageId = await sql`select message_id, count(*)::int as n from events
      where workspace_id = ${collector.workspaceId} and message_id = any(${[...proxy.messageIds]}::text[])
      group by 1`
    const stored = perSeq.length
    const chaosIds = new Set(
      (
        await sql`select message_id from events
          where workspace_id = ${collector.workspaceId} and event = 'Chaos'`
      ).map((r) => r.message_id as string),
    )
    const acknowledged = [...proxy.acknowledged].filter((id) => chaosIds.has(id)).length
    const duplicates = perSeq.reduce((s, r) => s + r.n - 1, 0)
    report(
      'sdk-chromium-flaky-proxy',
      { sent: expected, acknowledged, stored, duplicates, lost: expected - stored },
      { failures: proxy.failures, forwarded: proxy.forwarded },
    )
    const totalFailures = Object.values(proxy.failures).reduce((a, b) => a + b, 0)
    expect(totalFailures).toBeGreaterThan(0) // the faults really happened
    expect(perSeq.map((r) => r.seq)).toEqual(Array.from({ length: expected }, (_, i) => i))
    expect(duplicates).toBe(0)
    // Every messageId the browser ever posted is in the store exactly once.
    expect(byMessageId.length).toBe(proxy.messageIds.size)
    expect(byMessageId.every((r) => r.n === 1)).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })
})
