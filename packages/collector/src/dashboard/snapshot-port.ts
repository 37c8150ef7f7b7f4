// Whole-workspace figures stored for every collector process (adapters/postgres/
// snapshot-store.ts, migration 0015): one row per kind of figures and key (the workspace, or
// the workspace and a page's form), with when it was computed and a lease so that only one
// process computes it at a time (docs/dashboard.md, "Speed at 1M contacts").

export interface StoredSnapshot {
  /** When the figures were computed (ISO 8601). */
  at: string
  /** How long computing them took. */
  tookMs: number
  data: unknown
}

export interface SnapshotStore {
  /** The stored figures of `kind` for `key`, or null when none were computed yet. */
  read(kind: string, key: string): Promise<StoredSnapshot | null>
  /**
   * Takes the lease on computing `kind` for `key` for `leaseMs` when nobody holds one that is
   * still running: true when this caller may compute.
   */
  claim(
    workspaceId: string,
    kind: string,
    key: string,
    holder: string,
    leaseMs: number,
  ): Promise<boolean>
  /** Stores computed figures (`json`: the data as JSON text) and gives the lease back. */
  write(
    workspaceId: string,
    kind: string,
    key: string,
    snap: { at: string; tookMs: number; json: string },
  ): Promise<void>
  /** Gives the lease back without figures (the computation failed). */
  release(kind: string, key: string, holder: string): Promise<void>
}
