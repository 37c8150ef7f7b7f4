// Every read and write of a workspace goes to the database that holds it (docs/scaling.md,
// "Sharding"). The ports' methods take the workspace id first; a routed port resolves it to its
// shard and calls the same method there. The few methods that name no workspace (a key, a
// session token, a user id, "every due scan") are listed here one by one.
import type { PostgresStore } from '../postgres/store.js'
import type { AudiencePort } from '../../segments/port.js'
import type { ListsPort } from '../../lists/port.js'
import type { TeamStore } from '../../team/port.js'
import type { ReportsStore } from '../../reports/port.js'
import type { DashboardStore } from '../../dashboard/port.js'
import { CollectorError } from '../../errors.js'
import { expectedLoad, leastLoaded, loadOf } from '../../shards/placement.js'
import type { ShardMap } from '../../shards/port.js'
import { WorkspaceMovedError } from '../../shards/moved.js'

/** One database of the set and its store. */
export interface Shard {
  name: string
  store: PostgresStore
}

/** Finds a workspace's shard: the map first, then (for a workspace the map lacks) the databases. */
export interface ShardRouting {
  shards: readonly Shard[]
  /** Index into `shards`; CollectorError `not_found` when no shard holds the workspace. */
  indexOf(workspaceId: string): Promise<number>
  /**
   * Runs `call` with the workspace's shard index: held while a move copies the workspace, and
   * run again where the map points after the shard answered WorkspaceMovedError
   * (docs/scaling.md, "Moving a workspace").
   */
  run: Run
  /** Maps every workspace row the map lacks to the shard holding it; returns how many. */
  adoptUnmapped(): Promise<number>
  map: ShardMap
}

/** Runs a call on the workspace's shard (ShardRouting.run). */
export type Run = <T>(workspaceId: string, call: (index: number) => Promise<T>) => Promise<T>

/**
 * How long a call for a workspace being moved waits (held while its rows are copied, retried
 * after the old shard refused it) before it is answered 503 with Retry-After.
 */
export const MOVE_PATIENCE_MS = 10_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Fn = (...args: never[]) => unknown

/** Marks the methods routed by their first argument (shards.test.ts checks it is the workspace). */
export const ROUTED = Symbol('routed by workspace')

/**
 * Methods whose first argument is the workspace id, routed; `special` ones as given.
 *
 * @example
 * const reports = routeByWorkspace(shardReports, routing.run, { runDueQualityScans })
 */
export function routeByWorkspace<T extends object>(
  ports: readonly T[],
  run: Run,
  special: Partial<T>,
): T {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(ports[0]!)) {
    if (name in special) out[name] = special[name as keyof T]
    else if (typeof value === 'function') {
      out[name] = Object.assign(
        (workspaceId: string, ...args: unknown[]) =>
          run(workspaceId, async (i) => {
            const port = ports[i] as Record<string, Fn>
            return (port[name] as (...a: unknown[]) => unknown).call(port, workspaceId, ...args)
          }),
        { [ROUTED]: true },
      )
    }
  }
  return out as T
}

/**
 * The first non-null answer, asking every shard at once (keys, tokens: unique across shards).
 * A shard that cannot answer fails the lookup only when no other shard found it, so a key of a
 * workspace on a running shard still works while another shard is down.
 */
async function firstFound<T>(shards: readonly unknown[], ask: (i: number) => Promise<T | null>) {
  const answers = await Promise.allSettled(shards.map((_, i) => ask(i)))
  for (const a of answers) if (a.status === 'fulfilled' && a.value !== null) return a.value
  const failed = answers.find((a) => a.status === 'rejected')
  if (failed) throw failed.reason
  return null
}

const inTransaction = (name: string) => () => {
  throw new Error(`${name} runs inside one shard's transaction: it is not routed`)
}

const onEvery = <T>(shards: readonly unknown[], run: (i: number) => Promise<T>) =>
  Promise.all(shards.map((_, i) => run(i)))

/** Builds the routing: the map, then the databases (the truth) for a workspace it lacks. */
export function createRouting(shards: readonly Shard[], map: ShardMap): ShardRouting {
  const byName = new Map(shards.map((s, i) => [s.name, i]))
  async function indexOf(workspaceId: string): Promise<number> {
    const mapped = await map.lookup(workspaceId)
    const i = mapped === null ? undefined : byName.get(mapped)
    if (i !== undefined) return i
    if (mapped !== null) {
      throw new CollectorError(
        'store_unavailable',
        'The workspace is on a shard not configured here',
      )
    }
    // Not in the map (created before sharding, or the map write after its creation failed):
    // the database holding its row adopts it, compare-and-set like a placement.
    const found = await onEvery(shards, async (j) =>
      (await shards[j]!.store.sql`select 1 from workspaces where id = ${workspaceId}`).length > 0
        ? j
        : -1,
    )
    const at = found.find((j) => j >= 0)
    if (at === undefined) throw new CollectorError('not_found', 'No such workspace')
    const won = await map.assign(workspaceId, shards[at]!.name)
    return byName.get(won) ?? at
  }
  /**
   * While a move copies the workspace (its intent names the shard the map still points at),
   * calls wait; a shard that refuses a write as moved makes the map be read from the bucket
   * again (this process's watch may lag) and the call run where it points.
   */
  async function run<T>(workspaceId: string, call: (index: number) => Promise<T>): Promise<T> {
    const until = Date.now() + MOVE_PATIENCE_MS
    for (;;) {
      const moving = map.moving(workspaceId)
      if (moving && (await map.lookup(workspaceId)) === moving.from) {
        if (Date.now() > until) throw new WorkspaceMovedError(workspaceId)
        await sleep(100)
        continue
      }
      try {
        return await call(await indexOf(workspaceId))
      } catch (err) {
        if (!(err instanceof WorkspaceMovedError) || Date.now() > until) throw err
        await map.refresh(workspaceId)
        await sleep(100)
      }
    }
  }
  async function adoptUnmapped() {
    const known = await map.entries()
    let adopted = 0
    for (const shard of shards) {
      for (const w of await shard.store.listWorkspaces()) {
        if (known.has(w.id)) continue
        await map.assign(w.id, shard.name)
        adopted++
      }
    }
    return adopted
  }
  return { shards, indexOf, run, adoptUnmapped, map }
}

/**
 * A shard's stored events and contacts as PostgreSQL's statistics count them (`n_live_tup`,
 * updated by PostgreSQL shortly after each commit): no table is scanned. `Infinity` when the
 * shard cannot answer, so nothing new is placed on it.
 */
export async function storedRows(store: PostgresStore): Promise<number> {
  try {
    const [r] = await store.sql`select coalesce(sum(n_live_tup), 0)::float8 as n
      from pg_stat_user_tables where relname in ('events', 'contacts')`
    return r!.n as number
  } catch {
    return Infinity
  }
}

/**
 * The store over every shard, of the same shape as one database's store, except `sql`: there is
 * no one database to query, so reading it throws (a port built on `store.sql` would silently
 * read the first shard only); build such ports per shard and route them (ports.ts).
 */
export function routedStore(routing: ShardRouting): PostgresStore & { routing: ShardRouting } {
  const { shards, run, map } = routing
  const stores = shards.map((s) => s.store)
  const names = shards.map((s) => s.name)
  const store = routeByWorkspace<PostgresStore>(stores, run, {
    sql: undefined,
    async migrate() {
      const done = await onEvery(stores, (i) => stores[i]!.migrate())
      // Every entry point migrates before serving: the map is completed from the databases here
      // (workspaces from before sharding, or whose mapping write failed), so placement counts them.
      await routing.adoptUnmapped()
      return { applied: done.flatMap((d, i) => d.applied.map((m) => `${names[i]}:${m}`)) }
    },
    async ping() {
      await onEvery(stores, (i) => stores[i]!.ping())
    },
    async close() {
      await map.close()
      await onEvery(stores, (i) => stores[i]!.close())
    },
    async createWorkspace(input) {
      const [entries, rows] = await Promise.all([
        map.entries(),
        onEvery(stores, (i) => storedRows(stores[i]!)),
      ])
      const load = expectedLoad(names, loadOf(entries), new Map(names.map((n, i) => [n, rows[i]!])))
      const shard = leastLoaded(names, load)
      const created = await stores[names.indexOf(shard)]!.createWorkspace(input)
      // Cannot clash (the id is new); if the bucket is unreachable, indexOf adopts it later.
      await map.assign(created.id, shard).catch(() => {})
      return created
    },
    async listWorkspaces() {
      // A workspace being moved has its row on two shards until the move ends: listed once.
      const seen = new Set<string>()
      const all = (await onEvery(stores, (i) => stores[i]!.listWorkspaces()))
        .flat()
        .filter((w) => !seen.has(w.id) && seen.add(w.id))
      return all.sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
      )
    },
    workspaceByWriteKey: (key) => firstFound(stores, (i) => stores[i]!.workspaceByWriteKey(key)),
    workspaceBySecretKey: (key) => firstFound(stores, (i) => stores[i]!.workspaceBySecretKey(key)),
    async claimDeliveries(limit, leaseSeconds) {
      const all = await onEvery(stores, (i) => stores[i]!.claimDeliveries(limit, leaseSeconds))
      return all.flat()
    },
    async finishDelivery(id, outcome) {
      // Delivery ids are UUIDs: only the shard holding it has a row to update.
      await onEvery(stores, (i) => stores[i]!.finishDelivery(id, outcome))
    },
    // Helpers that run inside one shard's transaction, given its `tx`: nothing to route.
    enqueueWebhookEvents: inTransaction('enqueueWebhookEvents'),
    outboxFor: inTransaction('outboxFor'),
    team: routedTeam(shards, run),
    reports: routedReports(
      stores.map((s) => s.reports),
      run,
    ),
    dashboardStore: routeByWorkspace<DashboardStore>(
      stores.map((s) => s.dashboardStore),
      run,
      {},
    ) as PostgresStore['dashboardStore'],
  })
  Object.defineProperty(store, 'sql', {
    get() {
      throw new Error(
        'a sharded store has no single database: route by workspace (adapters/sharded)',
      )
    },
  })
  return Object.assign(store, { routing })
}

function routedTeam(shards: readonly Shard[], run: Run) {
  const teams = shards.map((s) => s.store.team)
  return routeByWorkspace<TeamStore>(teams, run, {
    async usersByEmail(email) {
      // A workspace being moved has its users on two shards until the move ends: each once.
      const seen = new Set<string>()
      return (await onEvery(teams, (i) => teams[i]!.usersByEmail(email)))
        .flat()
        .filter((u) => !seen.has(u.id) && seen.add(u.id))
    },
    async setPassword(userId, hash) {
      await onEvery(teams, (i) => teams[i]!.setPassword(userId, hash))
    },
    async createUserToken(input) {
      const at = await firstFound(shards, async (i) =>
        (await shards[i]!.store.sql`select 1 from users where id = ${input.userId}`).length > 0
          ? i
          : null,
      )
      if (at === null) throw new CollectorError('not_found', 'No such user')
      await teams[at]!.createUserToken(input)
    },
    userToken: (hash, now, consume) =>
      firstFound(teams, (i) => teams[i]!.userToken(hash, now, consume)),
    createSession: (input) => run(input.workspaceId, (i) => teams[i]!.createSession(input)),
    activeSession: (hash, now, idleMs) =>
      firstFound(teams, (i) => teams[i]!.activeSession(hash, now, idleMs)),
    apiKeyByHash: (hash, now) => firstFound(teams, (i) => teams[i]!.apiKeyByHash(hash, now)),
    async touchApiKey(id, at) {
      await onEvery(teams, (i) => teams[i]!.touchApiKey(id, at))
    },
    async appendAudit(entry) {
      if (entry.workspaceId === null) return teams[0]!.appendAudit(entry)
      await run(entry.workspaceId, (i) => teams[i]!.appendAudit(entry))
    },
  }) as PostgresStore['team']
}

function routedReports(reports: ReportsStore[], run: Run) {
  return routeByWorkspace<ReportsStore>(reports, run, {
    async runDueQualityScans(now) {
      return (await onEvery(reports, (i) => reports[i]!.runDueQualityScans(now))).flat()
    },
  }) as PostgresStore['reports']
}

/** Segments and accounts over every shard; the time sweep's calls run on each. */
export function routedAudience(ports: AudiencePort[], run: Run): AudiencePort {
  return routeByWorkspace<AudiencePort>(ports, run, {
    async backfillStep(now, segmentId) {
      // Segment ids are unique across shards: the first shard with work (or the segment) answers.
      for (const port of ports) {
        const step = await port.backfillStep(now, segmentId)
        if (step) return step
      }
      return null
    },
    async runDue(now) {
      return (await onEvery(ports, (i) => ports[i]!.runDue(now))).flat()
    },
    async runBackground(now, opts) {
      await onEvery(ports, (i) => ports[i]!.runBackground(now, opts))
    },
  })
}

/** Static lists over every shard; an export reads the workspace's shard. */
export function routedLists(ports: ListsPort[], run: Run): ListsPort {
  return routeByWorkspace<ListsPort>(ports, run, {
    exportSource(audience, now) {
      const on = (i: number) => ports[i]!.exportSource(audience, now)
      return {
        contactTraitKeys: (ws) => run(ws, (i) => on(i).contactTraitKeys(ws)),
        exportContacts: (ws, opts) => run(ws, (i) => on(i).exportContacts(ws, opts)),
      }
    },
  })
}
