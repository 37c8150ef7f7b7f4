import { createApp } from '../app.js'
import type { AppConfig, AppDeps } from '../deps.js'
import { createLiveFeed } from '../live/feed.js'
import { createAudienceStore } from '../adapters/postgres/segments-store.js'
import { createListsStore } from '../adapters/postgres/lists-store.js'
import { createAudienceReads } from '../adapters/postgres/segments-dashboard-reads.js'
import type { TestStore } from './stores.js'

/**
 * The optional feature ports a test store offers, for `createApp`: tests that enumerate every
 * route (auth-isolation, the permission matrix) must see every feature's routes working.
 */
export const featurePorts = (store: TestStore) => ({
  reports: store.reports,
  dashboardStore: store.dashboardStore,
  snapshots: store.snapshots,
  lists: createListsStore(store.sql),
  audienceReads: createAudienceReads(store.sql),
})

/**
 * A collector app over a test store with one workspace, called without a server. Tests whose
 * webhooks point at a loopback receiver pass `{ webhooks: { allowPrivate: true } }`; `extra`
 * adds or replaces dependencies (e.g. the live stream's limits).
 */
export async function createTestApp(
  store: TestStore,
  now?: () => Date,
  config: AppConfig = {},
  extra: Partial<AppDeps> = {},
) {
  const ws = await store.createWorkspace({ name: 'Test' })
  const segments = createAudienceStore(store.sql)
  const live = createLiveFeed()
  const app = createApp({
    store,
    ...featurePorts(store),
    clock: { now: now ?? (() => new Date()) },
    config,
    live,
    segments,
    getConnectionIp: () => '203.0.113.9',
    ...extra,
  })
  const basic = `Basic ${btoa(`${ws.writeKey}:`)}`
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (path: string) =>
    app.request(path, { headers: { authorization: `Bearer ${ws.secretKey}` } })
  const put = (path: string, body: unknown) =>
    app.request(path, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  return { app, ws, post, get, put, store, segments, live }
}
