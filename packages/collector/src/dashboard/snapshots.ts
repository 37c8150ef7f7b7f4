import type { SnapshotStore } from './snapshot-port.js'

// Whole-workspace figures (the overview's charts, the quality report, campaigns, KPIs) cost a
// pass over every contact: at 1M contacts, seconds. Pages show them from a snapshot instead,
// with the time it was computed (docs/dashboard.md, "Speed at 1M contacts"). With a
// `SnapshotStore` the snapshots live in PostgreSQL: one process computes (its lease), every
// process reads them, so a restarted or second collector shows them at once.

/** How long a page waits for figures being computed before saying so (`within`). */
export const FIRST_WAIT_MS = 1000

export interface Snapshot<T> {
  /** When the figures were computed (ISO 8601). */
  at: string
  data: T
}

export interface SnapshotCache<T> {
  /**
   * The snapshot for `key` (a workspace, or a workspace and a form). When the last computation
   * took at most `waitMs` (a small workspace), a new one is computed and awaited: always fresh.
   * A slower one is returned as it is, and once older than `freshMs` a new one is computed
   * behind it for the next visit (stale while revalidate). With none yet, the first is computed
   * (or, when another process holds the lease, waited for).
   */
  get(key: string): Promise<Snapshot<T>>
  /**
   * `get`, waiting at most `waitMs`: null when the figures are not there by then (the
   * computation goes on and the next visit sees them).
   */
  within(key: string, waitMs: number): Promise<Snapshot<T> | null>
}

/**
 * Figures larger than this as JSON (the quality report's lists of contact ids in a very large
 * workspace) are kept in the process that computed them, not stored.
 */
export const MAX_STORED_CHARS = 4_000_000

/** Where snapshots are shared between processes: the store, and what they are figures of. */
export interface SharedSnapshots {
  store: SnapshotStore
  /** `overview`, `quality`, `campaigns`, `kpis`. */
  kind: string
  /** The workspace a key belongs to (default: the key itself). */
  workspaceOf?: (key: string) => string
  /** How long a computation may hold the lease (default 10 minutes). */
  leaseMs?: number
  /** How often a process waiting for another one's computation reads the store (default 500 ms). */
  pollMs?: number
  /** This process, as lease holder (default: a random id). */
  holder?: string
}

/**
 * Snapshots per key, at most one computation per key at a time in a process (visitors arriving
 * meanwhile share it) and, with `shared`, in all processes. `waitMs` (default 250) is how long a
 * computation may take for pages to wait for it every time; `freshMs` how long a slower one is
 * served before it is redone (or 20 times what it took, when longer).
 *
 * @example
 * const overviews = snapshotCache((ws) => store.dashboardOverview(ws, { now: new Date() }), {
 *   freshMs: 30_000,
 *   now: () => new Date(),
 * })
 * const { at, data } = await overviews.get(workspaceId)
 */
export function snapshotCache<T>(
  compute: (key: string, now: Date) => Promise<T>,
  opts: {
    freshMs: number
    now: () => Date
    waitMs?: number
    maxWorkspaces?: number
    shared?: SharedSnapshots
  },
): SnapshotCache<T> {
  type Held = Snapshot<T> & { until: number; tookMs: number }
  const snapshots = new Map<string, Held>()
  const running = new Map<string, Promise<Snapshot<T>>>()
  const max = opts.maxWorkspaces ?? 1000
  const waitMs = opts.waitMs ?? 250
  const shared = opts.shared
  const holder = shared?.holder ?? crypto.randomUUID()
  const wsOf = (key: string) => shared?.workspaceOf?.(key) ?? key

  /** `doneMs`: when it was computed, by this process's clock (stored ones: their `at`). */
  function remember(key: string, at: string, data: T, tookMs: number, doneMs = Date.parse(at)) {
    if (snapshots.size >= max && !snapshots.has(key)) snapshots.clear()
    // A snapshot that took long to compute is kept longer (recomputing costs at most ~5 % of
    // the database's time for it).
    const keep = Math.max(opts.freshMs, 20 * tookMs)
    const snap: Held = { at, data, until: doneMs + keep, tookMs }
    snapshots.set(key, snap)
    return snap
  }

  /** Another process computes: its figures once stored (newer than `since`). */
  async function storedAfter(s: SharedSnapshots, key: string, since: string | undefined) {
    const deadline = Date.now() + (s.leaseMs ?? 600_000)
    for (;;) {
      const stored = await s.store.read(s.kind, key)
      if (stored && stored.at !== since)
        return remember(key, stored.at, stored.data as T, stored.tookMs)
      if (Date.now() >= deadline) throw new Error(`no ${s.kind} snapshot was stored`)
      await new Promise((r) => setTimeout(r, s.pollMs ?? 500))
    }
  }

  async function computeOnce(key: string): Promise<Snapshot<T>> {
    // The lease is for slow computations: a cheap one (a small workspace, every visit) is
    // computed wherever it is asked for.
    const cheap = (snapshots.get(key)?.tookMs ?? Infinity) <= waitMs
    if (shared && !cheap) {
      const mine = await shared.store.claim(
        wsOf(key),
        shared.kind,
        key,
        holder,
        shared.leaseMs ?? 600_000,
      )
      if (!mine) return storedAfter(shared, key, snapshots.get(key)?.at)
    }
    const now = opts.now()
    const started = Date.now()
    try {
      let data: T = await compute(key, now)
      const tookMs = Date.now() - started
      const at = now.toISOString()
      if (shared) {
        const json = JSON.stringify(data)
        if (json.length <= MAX_STORED_CHARS) {
          // As every process reads it back from the store: plain JSON.
          data = JSON.parse(json) as T
          await shared.store.write(wsOf(key), shared.kind, key, { at, tookMs, json })
        } else await shared.store.release(shared.kind, key, holder)
      }
      return remember(key, at, data, tookMs, Date.now())
    } catch (err) {
      if (shared) await shared.store.release(shared.kind, key, holder).catch(() => {})
      throw err
    }
  }

  function refresh(key: string): Promise<Snapshot<T>> {
    const busy = running.get(key)
    if (busy) return busy
    const job = computeOnce(key).finally(() => running.delete(key))
    running.set(key, job)
    return job
  }

  async function get(key: string): Promise<Snapshot<T>> {
    let snap = snapshots.get(key)
    if (snap && snap.tookMs <= waitMs) return refresh(key)
    if (shared && (!snap || snap.until <= Date.now())) {
      // Another process may have stored newer figures.
      const stored = await shared.store.read(shared.kind, key)
      if (stored && (!snap || stored.at > snap.at))
        snap = remember(key, stored.at, stored.data as T, stored.tookMs)
      if (snap && snap.tookMs <= waitMs) return refresh(key)
    }
    if (!snap) return refresh(key)
    // A failed refresh keeps the older snapshot; the next visit tries again.
    if (snap.until <= Date.now()) refresh(key).catch(() => {})
    return snap
  }

  return {
    get,
    async within(key, ms) {
      const pending = get(key)
      let timer: ReturnType<typeof setTimeout> | undefined
      const out = await Promise.race([
        pending,
        new Promise<null>((r) => (timer = setTimeout(() => r(null), ms))),
      ]).finally(() => clearTimeout(timer))
      if (!out) pending.catch(() => {}) // the next visit sees the outcome
      return out
    },
  }
}
