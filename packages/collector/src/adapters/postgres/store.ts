import type { Sql } from 'postgres'
import type { CreatedWorkspace, EnrichedEvent, Store, Workspace } from '../../ports.js'
import { hashKey, newSecretKey, newWriteKey } from '../../keys.js'
import { migrate } from './migrate.js'
import { ingestEvents } from './ingest.js'
import { createGroupCommit } from './group-commit.js'
import { createRulesCache } from './rules-cache.js'
import { createScoringAdmin } from './scoring-admin.js'
import { createWebhookStore } from './webhooks.js'
import { guard } from './rows.js'
import { createContactReads } from './contact-reads.js'
import { createDashboardReads } from './dashboard-reads.js'
import { createDashboardStore } from './dashboard-store.js'
import { createSnapshotStore } from './snapshot-store.js'
import { createLifecycleReads } from './lifecycle-reads.js'
import { createTeamStore } from './team.js'
import { createReportsStore } from './reports.js'

export interface PostgresStoreOptions {
  /** Called by close(): ends the pool, stops an embedded server. */
  onClose?: () => Promise<void>
  /**
   * Ingest transactions of one workspace running at once (default 2); requests arriving while
   * they run are committed together by the next one. Fewer, larger groups cost less CPU per event
   * on both sides: on the 2-core benchmark machine 2 gave about 1.4 times the throughput of 4
   * (and 8). More can pay on a PostgreSQL server with many cores and one very busy workspace.
   */
  ingestTransactions?: number
}

const toWorkspace = (r: Record<string, unknown>): Workspace => ({
  id: r.id as string,
  name: r.name as string,
  createdAt: (r.created_at as Date).toISOString(),
})

/**
 * The one Store implementation: PostgreSQL through postgres.js, for a real server and for the
 * embedded PGlite alike (served to postgres.js over a socket), so the same SQL runs on both.
 */
export function createPostgresStore(sql: Sql, options: PostgresStoreOptions = {}) {
  const rules = createRulesCache()
  const webhooks = createWebhookStore(sql, guard)
  // Concurrent requests of a workspace share transactions (see group-commit.ts).
  const ingestGrouped = createGroupCommit(
    (workspaceId, events) =>
      guard(() =>
        ingestEvents(sql, workspaceId, events, {
          rules,
          enqueue: webhooks.enqueueWebhookEvents,
          outbox: webhooks.outboxFor,
        }),
      ),
    { maxInFlight: options.ingestTransactions ?? 2 },
  )
  const store = {
    sql,
    /** The team port (team/port.ts), injected into the app as `AppDeps.team`. */
    team: createTeamStore(sql, guard),
    async migrate() {
      return { applied: await guard(() => migrate(sql)) }
    },
    async ping() {
      await guard(() => sql`select 1`)
    },
    async close() {
      await sql.end({ timeout: 5 })
      await options.onClose?.()
    },
    async createWorkspace({ name }: { name: string }): Promise<CreatedWorkspace> {
      const writeKey = newWriteKey()
      const secretKey = newSecretKey()
      const id = `ws_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
      const writeHash = await hashKey(writeKey)
      const secretHash = await hashKey(secretKey)
      const [row] = await guard(
        () => sql`insert into workspaces (id, name, write_key_hash, secret_key_hash)
          values (${id}, ${name}, ${writeHash}, ${secretHash})
          returning id, name, created_at`,
      )
      return { ...toWorkspace(row!), writeKey, secretKey }
    },
    async listWorkspaces() {
      const rows = await guard(
        () => sql`select id, name, created_at from workspaces order by created_at, id`,
      )
      return rows.map(toWorkspace)
    },
    async workspaceByWriteKey(writeKey: string) {
      const hash = await hashKey(writeKey)
      const [row] = await guard(
        () => sql`select id, name, created_at from workspaces where write_key_hash = ${hash}`,
      )
      return row ? toWorkspace(row) : null
    },
    async workspaceBySecretKey(secretKey: string) {
      const hash = await hashKey(secretKey)
      const [row] = await guard(
        () => sql`select id, name, created_at from workspaces where secret_key_hash = ${hash}`,
      )
      return row ? toWorkspace(row) : null
    },
    async ingest(workspaceId: string, events: EnrichedEvent[]) {
      if (events.length === 0) return { inserted: 0, duplicates: 0, changes: [], stored: [] }
      return ingestGrouped(workspaceId, events)
    },
    ...createContactReads(sql, guard, rules),
    ...createScoringAdmin(sql, guard, rules),
    ...createDashboardReads(sql, guard, rules),
    ...createLifecycleReads(sql, guard, rules),
    ...webhooks,
    /** The dashboard's own settings and saved views (a role port, not part of Store). */
    dashboardStore: createDashboardStore(sql, guard, rules),
    /** Whole-workspace figures shared by every process (dashboard/snapshot-port.ts). */
    snapshots: createSnapshotStore(sql, guard),
    /** Reports and scheduled quality scans (reports/port.ts), injected as AppDeps.reports. */
    reports: createReportsStore(sql, guard, webhooks.enqueueWebhookEvents),
  } satisfies Store & Record<string, unknown>
  return store
}

export type PostgresStore = ReturnType<typeof createPostgresStore>
