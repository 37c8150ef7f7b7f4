import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { freshDatabase } from './support/child-collector.js'
import { bundleWorker } from './support/workers-bundle.js'
import { startUpstashBridge, type UpstashBridge } from './support/upstash-bridge.js'

// Runtime portability (issue 8): the collector core served by Cloudflare's own runtime, workerd
// (through miniflare, all local), from packages/collector/src/entry/workers.ts bundled as a
// Workers deploy would bundle it. postgres.js talks to the shared test PostgreSQL over
// `cloudflare:sockets` on 127.0.0.1; hot state is the in-process one, then Redis through the
// Upstash REST stand-in (test/support/upstash-bridge.ts; Upstash itself is a third-party cloud)
// over the worker's own fetch. Migrations run from Node beforehand (freshDatabase).

const redisPort = inject('redisPort')

describe.each([
  { label: 'in-process hot state', upstash: false },
  { label: 'hot state in Redis through Upstash REST (local stand-in)', upstash: true },
])('collector under workerd: $label', { timeout: 60_000 }, ({ upstash }) => {
  let mf: Miniflare | undefined
  let bridge: UpstashBridge | undefined
  let db: Awaited<ReturnType<typeof freshDatabase>>

  beforeAll(async () => {
    db = await freshDatabase()
    const url = new URL(db.url)
    url.hostname = '127.0.0.1'
    const bindings: Record<string, string> = { DATABASE_URL: url.toString() }
    if (upstash) {
      bridge = await startUpstashBridge({ redisPort })
      bindings.UPSTASH_REDIS_REST_URL = bridge.url
      bindings.UPSTASH_REDIS_REST_TOKEN = bridge.token
    }
    const script = await bundleWorker()
    // The Workers build of postgres.js, not its Node one: sockets from workerd itself.
    expect(script).toContain('cloudflare:sockets')
    mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings,
    })
  }, 60_000)

  afterAll(async () => {
    await mf?.dispose()
    await bridge?.stop()
    await db?.store.close()
  })

  async function post(body: string, writeKey: string) {
    const res = await mf!.dispatchFetch('http://collector.test/v1/batch', {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${writeKey}:`)}`,
        'content-type': 'application/json',
      },
      body,
    })
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() }
  }

  it('ingests a Segment batch into PostgreSQL', async () => {
    const anonymousId = 'wd-anon-1'
    const at = '2026-11-30T09:00:00.000Z'
    const batch = [
      { type: 'page', anonymousId, messageId: 'wd-1', timestamp: at, name: 'Pricing' },
      {
        type: 'identify',
        anonymousId,
        userId: 'wd-user-1',
        messageId: 'wd-2',
        timestamp: at,
        traits: { email: 'ada@example.com', name: 'Ada' },
      },
      { type: 'track', anonymousId, messageId: 'wd-3', timestamp: at, event: 'Demo Requested' },
    ]
    const res = await post(JSON.stringify({ batch }), db.workspace.writeKey)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ accepted: 3 })

    const [counts] = await db.store.sql`select
      (select count(*)::int from events where workspace_id = ${db.workspace.id}) as events,
      (select count(distinct contact_id)::int from events
        where workspace_id = ${db.workspace.id}) as event_contacts,
      (select count(*)::int from contacts where workspace_id = ${db.workspace.id}
        and merged_into is null) as contacts,
      (select array_agg(message_id order by message_id) from events
        where workspace_id = ${db.workspace.id}) as messages`
    expect(counts).toEqual({
      events: 3,
      event_contacts: 1,
      contacts: 1,
      messages: ['wd-1', 'wd-2', 'wd-3'],
    })
    // With Upstash configured, the worker really used it (rate limits, dedupe window, feed).
    if (bridge) expect(bridge.commands).toBeGreaterThan(0)
  })

  it('serves segments: a Cron Trigger back-fills, the public endpoint answers the key', async () => {
    const create = await mf!.dispatchFetch('http://collector.test/v1/segments', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${db.workspace.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'Demo requesters',
        key: 'demo-requesters',
        browser: true,
        conditions: {
          events: { match: { type: 'track', event: 'Demo Requested' }, atLeast: 1, within: '366d' },
        },
      }),
    })
    expect(create.status, await create.clone().text()).toBe(201)
    const { id } = (await create.json()) as { id: string }
    // time's work from the scheduled handler: the back-fill makes the segment ready
    // the Fetcher's scheduled() (workers types), which miniflare's own types leave out
    const worker = (await mf!.getWorker()) as unknown as {
      scheduled(o: { cron: string }): Promise<unknown>
    }
    for (let i = 0; i < 3; i++) await worker.scheduled({ cron: '* * * * *' })
    const [seg] = await db.store.sql`select status from segments where id = ${id}`
    expect(seg!.status).toBe('ready')
    const res = await mf!.dispatchFetch(
      'http://collector.test/v1/personalize/segments?anonymousId=wd-anon-1',
      { headers: { authorization: `Basic ${btoa(`${db.workspace.writeKey}:`)}` } },
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ segments: ['demo-requesters'] })
  })

  it('sweeps contacts scored under older default rules once, not on every Cron Trigger', async () => {
    const ws = db.workspace.id
    const worker = (await mf!.getWorker()) as unknown as {
      scheduled(o: { cron: string }): Promise<unknown>
    }
    const cron = () => worker.scheduled({ cron: '* * * * *' })
    const rulesOf = async () =>
      (
        await db.store.sql`select score_rules from contacts where workspace_id = ${ws}
          and merged_into is null`
      ).map((r) => r.score_rules as string)
    const marker = async () =>
      (await db.store.sql`select fingerprint from defaults_sweeps where workspace_id = ${ws}`)[0]
        ?.fingerprint as string | undefined
    await cron()
    const today = await marker()
    expect(today).toBeDefined()
    expect(await rulesOf()).not.toHaveLength(0)

    // Each trigger is a fresh store in a fresh isolate run: only the stored marker tells it the
    // sweep is done, so a contact on older defaults now (which no sweep looks for) stays so.
    // (Not due for the time sweep either, which would rescore it for its own reasons.)
    await db.store.sql`update contacts set score_rules = 'older-defaults', due_at = null
      where workspace_id = ${ws}`
    await cron()
    await cron()
    expect(new Set(await rulesOf())).toEqual(new Set(['older-defaults']))

    // A release with other defaults (the marker names others than the running code's): the
    // next trigger sweeps, and stores the current defaults again.
    await db.store.sql`update defaults_sweeps set fingerprint = 'older-defaults'
      where workspace_id = ${ws}`
    await cron()
    expect(new Set(await rulesOf())).toEqual(new Set([today]))
    expect(await marker()).toBe(today)
  })

  it('answers a bad write key with 401 JSON', async () => {
    const body = JSON.stringify({ batch: [{ type: 'page', anonymousId: 'x', messageId: 'm' }] })
    const res = await post(body, 'wk_not_a_real_key')
    expect(res.status).toBe(401)
    expect(res.type).toContain('application/json')
    expect(res.body).toMatchObject({ success: false, error: { code: expect.any(String) } })
  })

  it('answers malformed JSON with 400 JSON', async () => {
    const res = await post('{"batch": [', db.workspace.writeKey)
    expect(res.status).toBe(400)
    expect(res.type).toContain('application/json')
    expect(res.body).toMatchObject({ success: false, error: { code: expect.any(String) } })
    const [n] = await db.store.sql`select count(*)::int as n from events
      where workspace_id = ${db.workspace.id}`
    expect(n!.n).toBe(3)
  })
})
