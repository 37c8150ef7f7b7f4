import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../packages/collector/src/app.js'
import { createLiveFeed } from '../../packages/collector/src/live/feed.js'
import { openTestStore, type TestStore } from '../../packages/collector/src/test-support/stores.js'
import { featurePorts } from '../../packages/collector/src/test-support/app.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'
import { rowsContaining, tablesWithColumns } from '../support/db-scan.js'

// Privacy: IP anonymisation end to end, and the GDPR delete proven by reading every table.

let store: TestStore
beforeAll(async () => {
  store = await openTestStore('postgres')
})
afterAll(async () => {
  await store?.close()
})

function appWith(config: { anonymizeIp?: boolean; trustedProxyHeader?: string }) {
  return createApp({
    store,
    clock: { now: () => new Date() },
    config,
    live: createLiveFeed(),
    ...featurePorts(store),
    segments: createAudienceStore(store.sql),
    getConnectionIp: () => '198.51.100.23',
  })
}

async function send(
  app: ReturnType<typeof createApp>,
  writeKey: string,
  batch: unknown[],
  headers: Record<string, string> = {},
) {
  const res = await app.request('/v1/batch', {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${writeKey}:`)}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ batch }),
  })
  expect(res.status, await res.clone().text()).toBe(200)
}

describe('IP anonymisation', () => {
  it('stores only truncated IPs (peer, proxy header and client-sent) when enabled', async () => {
    const ws = await store.createWorkspace({ name: 'Anon IP' })
    const app = appWith({ anonymizeIp: true, trustedProxyHeader: 'x-forwarded-for' })
    const ev = (id: string, extra: Record<string, unknown> = {}) => ({
      type: 'track',
      event: 'Seen',
      anonymousId: 'ip-visitor',
      messageId: id,
      ...extra,
    })
    await send(app, ws.writeKey, [ev('ip-1')], { 'x-forwarded-for': '203.0.113.77, 10.0.0.1' })
    await send(app, ws.writeKey, [ev('ip-2')], {
      'x-forwarded-for': '2001:db8:85a3:1234:5678:8a2e:370:7334',
    })
    await send(app, ws.writeKey, [ev('ip-3', { context: { ip: '192.0.2.201' } })])
    const rows = await store.sql`select message_id, payload->'context'->>'ip' as ip from events
      where workspace_id = ${ws.id} order by message_id`
    expect(rows.map((r) => [r.message_id, r.ip])).toEqual([
      ['ip-1', '203.0.113.0'],
      ['ip-2', '2001:db8:85a3::'],
      ['ip-3', '192.0.2.0'],
    ])
    const full = ['203.0.113.77', '2001:db8:85a3:1234', '192.0.2.201', '198.51.100.23']
    expect(await rowsContaining(store.sql, full)).toEqual({})
  })

  it('keeps the full IP when the option is off (the check above can fail)', async () => {
    const ws = await store.createWorkspace({ name: 'Full IP' })
    await send(appWith({}), ws.writeKey, [
      { type: 'track', event: 'Seen', anonymousId: 'full-ip', messageId: 'full-ip-1' },
    ])
    const [row] = await store.sql`select payload->'context'->>'ip' as ip from events
      where workspace_id = ${ws.id}`
    expect(row!.ip).toBe('198.51.100.23')
  })
})

describe('GDPR delete', () => {
  it('leaves no row behind in any table that names the contact or holds their identifiers', async () => {
    const ws = await store.createWorkspace({ name: 'GDPR' })
    const app = appWith({})
    const secret = { authorization: `Bearer ${ws.secretKey}` }
    const hook = await app.request('/v1/webhooks', {
      method: 'POST',
      headers: { ...secret, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://hooks.example.net/lodestone' }),
    })
    expect(hook.status).toBe(201)
    const person = {
      email: 'Erase.Me@Example.COM',
      userId: 'erase-user-42',
      anon: ['erase-anon-1', 'erase-anon-2'],
    }
    const at = (m: number) => new Date(Date.now() - (60 - m) * 60_000).toISOString()
    // Segments the person will enter (one by score, one counting their events: membership and
    // count-window rows), made before their events so ingest evaluates them.
    for (const conditions of [
      { score: { gte: 0 } },
      { events: { match: { event: 'Webinar Registered' }, atLeast: 1, within: '30d' } },
    ]) {
      const made = await app.request('/v1/segments', {
        method: 'POST',
        headers: { ...secret, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Erase ${JSON.stringify(conditions)}`, conditions }),
      })
      expect(made.status).toBe(201)
    }
    // Everything a contact can leave behind: two anonymous visits merged by email, traits,
    // subscriptions, consent, a score that crosses grades, lifecycle events and an alert, an
    // account joined by a group call, segment memberships and a static list.
    await send(app, ws.writeKey, [
      {
        type: 'page',
        anonymousId: person.anon[0],
        messageId: 'g-1',
        timestamp: at(1),
        properties: { url: 'https://site.example/pricing' },
      },
      {
        type: 'track',
        event: 'Demo Requested',
        anonymousId: person.anon[1],
        messageId: 'g-2',
        timestamp: at(2),
      },
      {
        type: 'identify',
        anonymousId: person.anon[0],
        messageId: 'g-3',
        timestamp: at(3),
        traits: { email: person.email, firstName: 'Erase', phone: '+44 20 7946 0958' },
      },
      {
        type: 'identify',
        anonymousId: person.anon[1],
        userId: person.userId,
        messageId: 'g-4',
        timestamp: at(4),
        traits: { email: person.email, title: 'CEO' },
      },
      {
        type: 'track',
        event: 'Webinar Registered',
        userId: person.userId,
        messageId: 'g-5',
        timestamp: at(5),
      },
      {
        type: 'track',
        event: 'Subscription Preferences Updated',
        userId: person.userId,
        messageId: 'g-6',
        timestamp: at(6),
        properties: { topics: { newsletter: 'subscribed' }, source: 'form' },
      },
      {
        type: 'track',
        event: 'Consent Updated',
        userId: person.userId,
        messageId: 'g-7',
        timestamp: at(7),
        properties: { categories: { analytics: true, marketing: false } },
      },
      {
        type: 'track',
        event: 'Survey Responded',
        userId: person.userId,
        messageId: 'g-8',
        timestamp: at(8),
        properties: { kind: 'csat', score: 1 },
      },
      {
        type: 'track',
        event: 'Ticket Created',
        userId: person.userId,
        messageId: 'g-9',
        timestamp: at(9),
        properties: { ticketId: 'T-1' },
      },
    ])
    await send(app, ws.writeKey, [
      {
        type: 'group',
        userId: person.userId,
        groupId: 'erase-account',
        messageId: 'g-10',
        timestamp: at(10),
        traits: { name: 'Erase Corp' },
      },
    ])
    const list = (await (
      await app.request('/v1/lists', {
        method: 'POST',
        headers: { ...secret, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Erase list' }),
      })
    ).json()) as { id: string }
    const added = await app.request(`/v1/lists/${list.id}/members`, {
      method: 'POST',
      headers: { ...secret, 'content-type': 'application/json' },
      body: JSON.stringify({ emails: [person.email] }),
    })
    expect(((await added.json()) as { added: number }).added).toBe(1)
    // A bystander who must survive the delete.
    await send(app, ws.writeKey, [
      {
        type: 'identify',
        userId: 'keep-user',
        messageId: 'k-1',
        traits: { email: 'keep@example.com' },
      },
    ])
    const before = await (
      await app.request(`/v1/contacts/userId:${person.userId}`, { headers: secret })
    ).json()
    const ids = [
      before.id as string,
      ...(before.mergedFrom ?? []).map((m: { id?: string; from?: string }) => m.id ?? m.from),
    ]
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/)
    const needles = [
      person.email.toLowerCase(),
      person.userId,
      ...person.anon,
      '7946 0958',
      ...ids.filter(Boolean),
    ]
    // The person really is all over the database before the delete.
    const spread = await rowsContaining(store.sql, needles)
    expect(Object.keys(spread).length).toBeGreaterThan(5)
    // … including the tables of segments, lists and accounts (none of them cascades from the
    // contact: docs/segments.md).
    const holding = async (table: string) =>
      (
        await store.sql`select count(*)::int as n from ${store.sql(table)}
          where contact_id = any(${ids.filter(Boolean)}::uuid[])`
      )[0]!.n as number
    for (const table of [
      'segment_members',
      'segment_contact_state',
      'list_members',
      'account_members',
    ])
      expect(await holding(table), table).toBeGreaterThan(0)

    const del = await app.request(`/v1/contacts/${encodeURIComponent(`email:${person.email}`)}`, {
      method: 'DELETE',
      headers: secret,
    })
    expect(del.status).toBe(200)

    // Every table with a contact column holds no row for the erased contact ids …
    const leftovers: Record<string, number> = {}
    for (const [table, columns] of await tablesWithColumns(store.sql)) {
      for (const column of columns.filter((c) => /contact/.test(c))) {
        const [row] = await store.sql`select count(*)::int as n from ${store.sql(table)}
          where ${store.sql(column)}::text = any(${ids}::text[])`
        if (row!.n > 0) leftovers[`${table}.${column}`] = row!.n
      }
    }
    expect(leftovers).toEqual({})
    // … and no row anywhere carries the person's identifiers or personal data.
    expect(await rowsContaining(store.sql, needles)).toEqual({})
    const gone = await app.request(`/v1/contacts/userId:${person.userId}`, { headers: secret })
    expect(gone.status).toBe(404)
    const kept = await app.request('/v1/contacts/userId:keep-user', { headers: secret })
    expect(kept.status).toBe(200)
  })
})
