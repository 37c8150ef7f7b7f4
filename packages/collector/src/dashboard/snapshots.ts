// Whole-workspace figures (the overview's charts, the quality report) cost a pass over every
// contact: at 1M contacts, seconds. Pages show them from a per-process snapshot instead, with
// the time it was computed (docs/dashboard.md, "Speed at 1M contacts").

export interface Snapshot<T> {
  /** When the figures were computed (ISO 8601). */
  at: string
  data: T
}

export interface SnapshotCache<T> {
  /**
   * The workspace's snapshot. When the last computation took at most `waitMs` (a small
   * workspace), a new one is computed and awaited: always fresh. A slower one is returned as
   * it is, and once older than `freshMs` a new one is computed behind it for the next visit
   * (stale while revalidate). With none yet, the first is computed and awaited.
   */
  get(workspaceId: string): Promise<Snapshot<T>>
}

/**
 * Snapshots per workspace, at most one computation per workspace at a time (visitors arriving
 * meanwhile share it). `waitMs` (default 250) is how long a computation may take for pages to
 * wait for it every time; `freshMs` how long a slower one is served before it is redone (or 20
times what it took, when longer).
 *
 * @example
 * const overviews = snapshotCache((ws) => store.dashboardOverview(ws, { now: new Date() }), {
 *   freshMs: 30_000,
 *   now: () => new Date(),
 * })
 * const { at, data } = await overviews.get(workspaceId)
 */
export function snapshotCache<T>(
  compute: (workspaceId: string, now: Date) => Promise<T>,
  opts: { freshMs: number; now: () => Date; waitMs?: number; maxWorkspaces?: number },
): SnapshotCache<T> {
  const snapshots = new Map<string, Snapshot<T> & { until: number; tookMs: number }>()
  const running = new Map<string, Promise<Snapshot<T>>>()
  const max = opts.maxWorkspaces ?? 1000

  function refresh(workspaceId: string): Promise<Snapshot<T>> {
    const busy = running.get(workspaceId)
    if (busy) return busy
    const now = opts.now()
    const started = Date.now()
    const job = compute(workspaceId, now)
      .then((data) => {
        if (snapshots.size >= max && !snapshots.has(workspaceId)) snapshots.clear()
        const tookMs = Date.now() - started
        // A snapshot that took long to compute is kept longer (recomputing costs at most ~5 %
        // of the database's time for it).
        const keep = Math.max(opts.freshMs, 20 * tookMs)
        const snap = { at: now.toISOString(), data, until: Date.now() + keep, tookMs }
        snapshots.set(workspaceId, snap)
        return snap
      })
      .finally(() => running.delete(workspaceId))
    running.set(workspaceId, job)
    return job
  }

  return {
    async get(workspaceId) {
      const snap = snapshots.get(workspaceId)
      if (!snap || snap.tookMs <= (opts.waitMs ?? 250)) return refresh(workspaceId)
      // A failed refresh keeps the older snapshot; the next visit tries again.
      if (snap.until <= Date.now()) refresh(workspaceId).catch(() => {})
      return snap
    },
  }
}
