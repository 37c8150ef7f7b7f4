import { startCollector as start, type CollectorOptions } from '@lodestone/collector/node'

export interface StoredEvent {
  messageId: string
  type: string
  event: string | null
  name: string | null
  anonymousId: string | null
  userId: string | null
  contactId: string | null
  payload: Record<string, unknown>
}

/**
 * A real collector on 127.0.0.1 (random port) with an in-memory embedded store and one
 * workspace, for end-to-end tests. `/sdk.js` serves packages/sdk/dist.
 */
export async function startCollector(
  opts: {
    dataDir?: string | null
    databaseUrl?: string
    config?: CollectorOptions['config']
    timeouts?: CollectorOptions['timeouts']
    maxConnectionsPerIp?: number
    oidc?: CollectorOptions['oidc']
    port?: number
    /** How often time's work (back-fills, due contacts) runs; default 60 s. */
    sweepIntervalMs?: number
    liveStream?: CollectorOptions['liveStream']
  } = {},
) {
  const collector = await start({
    port: opts.port ?? 0,
    oidc: opts.oidc,
    dataDir: opts.dataDir ?? null,
    databaseUrl: opts.databaseUrl,
    config: opts.config,
    timeouts: opts.timeouts,
    maxConnectionsPerIp: opts.maxConnectionsPerIp,
    sweepIntervalMs: opts.sweepIntervalMs,
    liveStream: opts.liveStream,
  })
  const ws = await collector.store.createWorkspace({ name: 'E2E' })
  const sql = collector.store.sql
  return {
    url: collector.url,
    writeKey: ws.writeKey,
    secretKey: ws.secretKey,
    workspaceId: ws.id,
    store: collector.store,
    stop: () => collector.close(),
    async events(): Promise<StoredEvent[]> {
      const rows =
        await sql`select message_id, type, event, name, anonymous_id, user_id, contact_id, payload
        from events where workspace_id = ${ws.id} order by seq`
      return rows.map((r) => ({
        messageId: r.message_id,
        type: r.type,
        event: r.event,
        name: r.name,
        anonymousId: r.anonymous_id,
        userId: r.user_id,
        contactId: r.contact_id,
        payload: r.payload,
      }))
    },
  }
}
