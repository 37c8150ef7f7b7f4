import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../../test-support/stores.js'
import { createTestApp } from '../../test-support/app.js'

let n = 0
const at = (m: number) => new Date(Date.UTC(2026, 2, 1, 0, m)).toISOString()
const prefs = (
  anon: string,
  topics: Record<string, unknown>,
  minute: number,
  extra: object = {},
) => ({
  type: 'track',
  event: 'Subscription Preferences Updated',
  anonymousId: anon,
  messageId: `pref-${++n}`,
  timestamp: at(minute),
  properties: { topics, source: 'form', formId: 'webinar-form' },
  context: { page: { url: 'https://acme.test/webinar' }, ip: '198.51.100.7' },
  ...extra,
})

describe.each(BACKENDS)('subscriptions and consent on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const send = async (...batch: object[]) =>
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
  const contact = async (anon: string) =>
    (await t.get(`/v1/contacts/lookup?anonymousId=${anon}`)).json()

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  it('keeps the state per topic with an audit trail (when, source, page, form, IP)', async () => {
    await send(prefs('s1', { newsletter: 'subscribed', product: true }, 1))
    await send(prefs('s1', { product: 'unsubscribed' }, 2))
    const c = await contact('s1')
    expect(c.subscriptions.newsletter).toMatchObject({ status: 'subscribed', source: 'form' })
    expect(c.subscriptions.product.status).toBe('unsubscribed')
    expect(c.subscriptions.product.history).toEqual([
      expect.objectContaining({
        status: 'subscribed',
        at: at(1),
        page: 'https://acme.test/webinar',
        form: 'webinar-form',
        ip: '198.51.100.7',
      }),
      expect.objectContaining({ status: 'unsubscribed', at: at(2) }),
    ])
  })

  it('a late-arriving older choice never overrides a newer one', async () => {
    await send(prefs('s2', { newsletter: 'unsubscribed' }, 20))
    await send(prefs('s2', { newsletter: 'subscribed' }, 10))
    const c = await contact('s2')
    expect(c.subscriptions.newsletter.status).toBe('unsubscribed')
    expect(c.subscriptions.newsletter.history).toHaveLength(2)
  })

  it('merges preferences with the contacts, the later choice winning', async () => {
    await send(prefs('s3a', { newsletter: 'subscribed' }, 30))
    await send(prefs('s3b', { newsletter: 'unsubscribed' }, 31))
    await send(
      {
        type: 'identify',
        anonymousId: 's3a',
        userId: 'pref-user',
        messageId: `pref-${++n}`,
        timestamp: at(32),
      },
      {
        type: 'identify',
        anonymousId: 's3b',
        userId: 'pref-user',
        messageId: `pref-${++n}`,
        timestamp: at(33),
      },
    )
    const c = await contact('s3a')
    expect(c.subscriptions.newsletter.status).toBe('unsubscribed')
    expect(c.subscriptions.newsletter.history).toHaveLength(2)
  })

  it('records consent per category', async () => {
    await send({
      type: 'track',
      event: 'Consent Updated',
      anonymousId: 's4',
      messageId: `pref-${++n}`,
      timestamp: at(40),
      properties: { categories: { analytics: true, marketing: false, bogus: 'yes' } },
    })
    const c = await contact('s4')
    expect(c.consent).toEqual({
      analytics: { granted: true, updatedAt: at(40) },
      marketing: { granted: false, updatedAt: at(40) },
    })
  })

  it('exports and erases preferences with the contact', async () => {
    await send(prefs('s5', { newsletter: true }, 50))
    const c = await contact('s5')
    const exported = await (await t.get(`/v1/contacts/${c.id}/export`)).json()
    expect(exported.contact.subscriptions.newsletter.history).toHaveLength(1)
    const del = await t.app.request(`/v1/contacts/${c.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.ws.secretKey}` },
    })
    expect(del.status).toBe(200)
    const [left] =
      await store.sql`select (select count(*)::int from subscriptions where contact_id = ${c.id}) as s,
      (select count(*)::int from subscription_events where contact_id = ${c.id}) as e`
    expect(left).toEqual({ s: 0, e: 0 })
  })
})
