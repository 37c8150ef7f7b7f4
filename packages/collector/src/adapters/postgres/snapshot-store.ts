import type { Sql } from 'postgres'
import type { SnapshotStore } from '../../dashboard/snapshot-port.js'
import { iso, type Guard } from './rows.js'

/** Stored whole-workspace figures and the lease on computing them (migration 0015). */
export function createSnapshotStore(sql: Sql, guard: Guard): SnapshotStore {
  return {
    async read(kind, key) {
      const [row] = await guard(
        () => sql`select data, computed_at, took_ms from dashboard_snapshots
          where kind = ${kind} and key = ${key} and computed_at is not null`,
      )
      return row ? { at: iso(row.computed_at), tookMs: Number(row.took_ms), data: row.data } : null
    },
    async claim(workspaceId, kind, key, holder, leaseMs) {
      const rows = await guard(
        () => sql`insert into dashboard_snapshots (kind, key, workspace_id, lease_holder, lease_until)
          values (${kind}, ${key}, ${workspaceId}, ${holder},
            now() + ${leaseMs} * interval '1 millisecond')
          on conflict (kind, key) do update set lease_holder = excluded.lease_holder,
            lease_until = excluded.lease_until
          where dashboard_snapshots.lease_until is null or dashboard_snapshots.lease_until < now()
          returning 1`,
      )
      return rows.length === 1
    },
    async write(workspaceId, kind, key, snap) {
      await guard(
        () => sql`insert into dashboard_snapshots (kind, key, workspace_id, data, computed_at, took_ms)
          values (${kind}, ${key}, ${workspaceId}, ${snap.json}::text::jsonb, ${snap.at},
            ${Math.round(snap.tookMs)})
          on conflict (kind, key) do update set data = excluded.data,
            computed_at = excluded.computed_at, took_ms = excluded.took_ms,
            lease_holder = null, lease_until = null`,
      )
    },
    async release(kind, key, holder) {
      await guard(
        () => sql`update dashboard_snapshots set lease_holder = null, lease_until = null
          where kind = ${kind} and key = ${key} and lease_holder = ${holder}`,
      )
    },
  }
}
