import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNatsCluster, type NatsCluster } from '../../../../test/support/nats-cluster.js'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { sessionFor } from '../test-support/team.js'
import { createApp } from '../app.js'
import { createLiveFeed } from '../live/feed.js'
import { createKvShardMap } from '../adapters/sharded/kv-map.js'
import { createRouting, routedStore } from '../adapters/sharded/router.js'
import { openAudiencePorts } from '../adapters/sharded/ports.js'
import { listShards, moveWorkspace, planFor, readCatalog } from '../adapters/sharded/move.js'
import { movePlan, parentsFirst } from './move-plan.js'
import { WorkspaceMovedError } from './moved.js'
import type { ShardMap } from './port.js'
import { trackEvent } from '../test-support/events.js'
import { RULES } from '../../../../test/support/person-race.js'

// Moving a workspace between shards (docs/scaling.md, "Moving a workspace"), in one process: the
// plan read from the real catalog, a move of a workspace with data of every kind (its rows equal
// on the target, none left on the source, ids and sequences working), and a crash after each
// step followed by a re-run. test/shard-move.test.ts moves one under load across processes.

let nats: NatsCluster
const dbs: TestStore[] = []
const maps: ShardMap[] = []

beforeAll(async () => {
  nats = await startNatsCluster(1)
  dbs.push(await openTestStore('postgres'), await openTestStore('postgres'))
  // A table a later migration might add: it must move without the mover knowing its name.
  for (const db of dbs) {
    await db.sql`create table zz_extra (workspace_id text not null references workspaces(id)
      on delete cascade, id bigserial primary key, note text)`
    await db.sql`create table zz_extra_child (extra_id bigint not null references zz_extra(id)
      on delete cascade, tag text)`
  }
}, 60_000)

afterAll(async () => {
  for (const m of maps) await m.close()
  for (const d of dbs) await d.close()
  await nats?.stop()
})

let bucket = 0
async function routed() {
  const map = await createKvShardMap({ servers: nats.url, bucket: `t_move_${++bucket}` })
  maps.push(map)
  return routedStore(
    createRouting(
      [
        { name: 'one', store: dbs[0]! },
        { name: 'two', store: dbs[1]! },
      ],
      map,
    ),
  )
}

type Store = Awaited<ReturnType<typeof routed>>

function appFor(store: Store) {
  const { segments, lists } = openAudiencePorts(store)
  return createApp({
    store,
    team: store.team,
    reports: store.reports,
    dashboardStore: store.dashboardStore,
    segments,
    lists,
    live: createLiveFeed(),
    clock: { now: () => new Date() },
    config: {},
    sessionSecret: 'test-secret-for-moves',
  })
}

const send = (app: ReturnType<typeof appFor>, writeKey: string, batch: unknown[]) =>
  app.request('/v1/batch', {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${writeKey}:`)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch }),
  })

/** A workspace on shard one with contacts, merges, rules, a segment, a user, webhooks, extras. */
async function seeded(store: Store, app: ReturnType<typeof appFor>, tag: string) {
  let w = await store.createWorkspace({ name: `Move ${tag}` })
  // Placement may pick either shard; the moves below start from shard one.
  if ((await store.routing.map.lookup(w.id)) !== 'one') {
    w = await dbs[0]!.createWorkspace({ name: `Move ${tag}` })
    await store.routing.indexOf(w.id) // adopted by shard one
  }
  const put = (path: string, body: unknown, method = 'PUT') =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${w.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  expect((await put('/v1/scoring/rules', RULES)).status).toBe(200)
  expect(
    (
      await put(
        '/v1/segments',
        { name: 'Seen', conditions: { lastSeen: { within: '30d' } } },
        'POST',
      )
    ).status,
  ).toBeLessThan(300)
  const batch = []
  for (let i = 0; i < 20; i++) {
    batch.push(
      {
        type: 'identify',
        anonymousId: `${tag}-a${i}`,
        traits: { email: `${tag}${i}@example.com`, title: 'VP Sales' },
        messageId: `${tag}-m${i}`,
      },
      {
        type: 'track',
        event: 'Demo Requested',
        anonymousId: `${tag}-a${i}`,
        messageId: `${tag}-t${i}`,
      },
    )
  }
  expect((await send(app, w.writeKey, batch)).status).toBe(200)
  // Two devices of one person, joined later by a userId: a merge.
  for (const e of [
    { anonymousId: `${tag}-d1`, userId: `${tag}-u1` },
    { anonymousId: `${tag}-d2`, traits: { email: `${tag}-d2@example.com` } },
    { anonymousId: `${tag}-d2`, userId: `${tag}-u1` },
  ]) {
    const r = await send(app, w.writeKey, [
      { type: 'identify', ...e, messageId: `${tag}-${e.anonymousId}-${e.userId ?? 'e'}` },
    ])
    expect(r.status).toBe(200)
  }
  await sessionFor(store.team, 'test-secret-for-moves', w.id, 'marketer')
  const [extra] = await dbs[0]!
    .sql`insert into zz_extra (workspace_id, note) values (${w.id}, ${tag})
    returning id`
  await dbs[0]!.sql`insert into zz_extra_child values (${extra!.id}, 'child')`
  return w
}

/**
 * Every row of the workspace per table, serial columns and references to them left out (they
 * may be renumbered: `zz_extra_child` is checked through its parent instead).
 */
async function snapshot(db: TestStore, workspaceId: string) {
  const plan = await planFor(db.sql, workspaceId)
  const serial = new Set(plan.tables.flatMap((t) => t.serial.map((s) => `${t.name}.${s.column}`)))
  const out: Record<string, string[]> = {}
  for (const t of plan.tables) {
    const drop = [
      ...t.serial.map((s) => s.column),
      ...t.references
        .filter((f) => f.refColumns.some((c) => serial.has(`${f.parent}.${c}`)))
        .flatMap((f) => f.columns),
    ]
    const rows = await db.sql.unsafe(`select to_jsonb(x) as j from "${t.name}" x where ${t.filter}`)
    out[t.name] = rows
      .map((r) => {
        const j = { ...(r.j as Record<string, unknown>) }
        for (const c of drop) delete j[c]
        return JSON.stringify(j, Object.keys(j).sort())
      })
      .sort()
  }
  return out
}

const event = (messageId: string, anonymousId: string) =>
  trackEvent(messageId, anonymousId, new Date().toISOString())

const total = (snap: Record<string, string[]>) =>
  Object.values(snap).reduce((n, rows) => n + rows.length, 0)

describe('the plan, from the catalog', () => {
  it('covers every table of a migrated database; children without workspace_id go through their parent', async () => {
    const { tables, fks } = await readCatalog(dbs[0]!.sql)
    const plan = movePlan(tables, fks, 'ws_x')
    expect(plan.global).toEqual(['schema_migrations'])
    expect(plan.tables.map((t) => t.name).sort()).toEqual(
      tables
        .map((t) => t.name)
        .filter((n) => n !== 'schema_migrations')
        .sort(),
    )
    const filter = (name: string) => plan.tables.find((t) => t.name === name)!.filter
    expect(filter('workspaces')).toBe(`id = 'ws_x'`)
    expect(filter('events')).toBe(`workspace_id = 'ws_x'`)
    expect(filter('user_tokens')).toMatch(/^\("user_id"\) in \(select "id" from "users"/)
    expect(filter('segment_daily_counts')).toMatch(/from "segments" where workspace_id/)
    expect(filter('zz_extra_child')).toMatch(/from "zz_extra" where workspace_id/)
    // Parents first: every table after the tables it references (not deferrable).
    const at = (n: string) => plan.tables.findIndex((t) => t.name === n)
    // Only tables without a foreign key (none cascades their rows: the move's clean-up deletes
    // them by their filter, migrations 0018 and 0019) may come before the workspace row.
    const unkeyed = plan.tables.filter((t) => t.name !== 'workspaces' && !t.references.length)
    expect(unkeyed.map((t) => t.name).sort()).toEqual([
      'events',
      'score_history',
      'segment_contact_state',
      'segment_members',
    ])
    expect(plan.tables.slice(0, at('workspaces')).every((t) => unkeyed.includes(t))).toBe(true)
    expect(at('users')).toBeLessThan(at('user_tokens'))
    expect(at('segments')).toBeLessThan(at('segment_daily_counts'))
    expect(at('zz_extra')).toBeLessThan(at('zz_extra_child'))
    expect(plan.tables.find((t) => t.name === 'events')!.serial.map((s) => s.column)).toEqual([
      'seq',
    ])
  })

  it('refuses a table it cannot attribute to a workspace, and a foreign-key cycle; quotes ids', () => {
    const t = (name: string, columns: string[]) => ({ name, columns, serial: [] })
    expect(() => movePlan([t('workspaces', ['id']), t('counters', ['n'])], [], 'ws_1')).toThrow(
      /counters/,
    )
    expect(() =>
      parentsFirst(
        ['a', 'b'],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow(/cycle/)
    expect(movePlan([t('workspaces', ['id'])], [], "ws_'x").tables[0]!.filter).toBe(`id = 'ws_''x'`)
  })
})

describe('shards move, in one process', () => {
  it('copies every row, switches the map, deletes the source; ids and sequences keep working', async () => {
    const store = await routed()
    const app = appFor(store)
    // Rows with the same bigserial ids on the target: the copies must not collide with them.
    const other = await dbs[1]!.createWorkspace({ name: 'Already on two' })
    await store.routing.indexOf(other.id)
    await dbs[1]!.sql`insert into zz_extra (id, workspace_id, note)
      select g, ${other.id}, 'other' from generate_series(1, 50) g on conflict do nothing`
    const w = await seeded(store, app, 'full')
    const before = await snapshot(dbs[0]!, w.id)
    expect(before.events!.length).toBe(43)
    expect(before.merges!.length).toBeGreaterThan(0)
    // no foreign key empties these on the source (migration 0018): the clean-up must
    expect(before.segment_members!.length).toBeGreaterThan(0)
    expect(before.user_tokens!.length + before.sessions!.length).toBeGreaterThan(0)
    const [{ maxSeq }] = (await dbs[0]!.sql`select max(seq)::int as "maxSeq" from events
      where workspace_id = ${w.id}`) as unknown as [{ maxSeq: number }]

    const dry: string[] = []
    const plan = await moveWorkspace(store.routing, w.id, 'two', {
      dryRun: true,
      print: (l) => dry.push(l),
    })
    expect(plan.outcome).toBe('dry-run')
    expect(plan.copied.events).toBe(43)
    expect(dry.join('\n')).toContain('events: 43')
    expect(await store.routing.map.lookup(w.id)).toBe('one')

    const lines: string[] = []
    const report = await moveWorkspace(store.routing, w.id, 'two', {
      graceMs: 50,
      print: (l) => lines.push(l),
    })
    expect(report).toMatchObject({ from: 'one', to: 'two', outcome: 'moved' })
    expect(report.copied).toMatchObject({
      events: 43,
      workspaces: 1,
      zz_extra: 1,
      zz_extra_child: 1,
    })
    expect(lines.join('\n')).toMatch(/copied events: 43/)
    expect(await store.routing.map.lookup(w.id)).toBe('two')
    expect(await store.routing.map.intent(w.id)).toBeNull()
    // The target holds exactly what the source held; the source holds nothing of it.
    expect(await snapshot(dbs[1]!, w.id)).toEqual(before)
    expect(total(await snapshot(dbs[0]!, w.id))).toBe(0)
    // The other workspace's rows with the same ids are untouched; the copy got new ids.
    const extras = await dbs[1]!
      .sql`select workspace_id, count(*)::int as n from zz_extra group by 1`
    expect(Object.fromEntries(extras.map((r) => [r.workspace_id, r.n]))).toEqual({
      [other.id]: 50,
      [w.id]: 1,
    })
    const [child] = await dbs[1]!.sql`select e.workspace_id, e.note from zz_extra_child c
      join zz_extra e on e.id = c.extra_id where c.tag = 'child' and e.workspace_id = ${w.id}`
    expect(child).toEqual({ workspace_id: w.id, note: 'full' })

    // Reads, writes and keys work on the target; a new event's seq is past every copied one.
    const more = await send(app, w.writeKey, [
      { type: 'track', event: 'Demo Requested', anonymousId: 'full-a0', messageId: 'full-after' },
    ])
    expect(more.status).toBe(200)
    const [after] = await dbs[1]!.sql`select seq::int from events
      where workspace_id = ${w.id} and message_id = 'full-after'`
    expect(after!.seq).toBeGreaterThan(maxSeq)
    const contact = await app.request('/v1/contacts/lookup?email=full0@example.com', {
      headers: { authorization: `Bearer ${w.secretKey}` },
    })
    expect(contact.status).toBe(200)
    const body = (await contact.json()) as { score: { total: number } }
    expect(body.score.total).toBeGreaterThan(0)
    const session = await sessionFor(store.team, 'test-secret-for-moves', w.id, 'marketer')
    const page = await app.request('/app/contacts', { headers: { cookie: session.cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('full0@example.com')

    const listed = await listShards(store.routing)
    const on = (shard: string) => listed.find((s) => s.shard === shard)!.workspaces
    expect(on('two').find((x) => x.id === w.id)).toMatchObject({ events: 44, served: true })
    expect(on('one').some((x) => x.id === w.id)).toBe(false)
    // A process whose map still names shard one: refused there (the row is gone), it reads the
    // bucket and stores on shard two.
    let refreshed = 0
    const real = store.routing.map
    const stale: ShardMap = {
      ...real,
      lookup: async (ws) => (refreshed > 0 ? real.lookup(ws) : 'one'),
      refresh: async (ws) => (refreshed++, real.refresh(ws)),
      moving: () => undefined,
    }
    const staleStore = routedStore(
      createRouting(
        [
          { name: 'one', store: dbs[0]! },
          { name: 'two', store: dbs[1]! },
        ],
        stale,
      ),
    )
    const late = await staleStore.ingest(w.id, [event('full-stale', 'full-a1')])
    expect(late.inserted).toBe(1)
    expect(refreshed).toBe(1)
    const [{ n: staleOnTwo }] = (await dbs[1]!.sql`select count(*)::int as n from events
      where workspace_id = ${w.id} and message_id = 'full-stale'`) as unknown as [{ n: number }]
    expect(staleOnTwo).toBe(1)

    // Refusals name the problem.
    await expect(moveWorkspace(store.routing, w.id, 'three')).rejects.toThrow(
      /no shard named "three"/,
    )
    await expect(moveWorkspace(store.routing, 'ws_nowhere', 'one')).rejects.toThrow(
      /not in the shard map/,
    )
    // A second run finds nothing to do.
    expect((await moveWorkspace(store.routing, w.id, 'two', { graceMs: 0 })).outcome).toBe(
      'already',
    )
  }, 40_000)

  it('the fence: writers that ignore the map race the move; each write is copied or refused', async () => {
    const store = await routed()
    const app = appFor(store)
    const w = await seeded(store, app, 'race')
    // Processes whose map never saw the move: they write to shard one directly, all along.
    const results: { id: string; ok: boolean }[] = []
    let go = true
    const writer = async (k: number) => {
      for (let i = 0; go; i++) {
        const id = `fence-${k}-${i}`
        try {
          await dbs[0]!.ingest(w.id, [event(id, `race-v${k}-${i % 5}`)])
          results.push({ id, ok: true })
        } catch (err) {
          if (!(err instanceof WorkspaceMovedError)) throw err
          results.push({ id, ok: false })
        }
      }
    }
    const writers = [0, 1, 2, 3].map(writer)
    await new Promise((r) => setTimeout(r, 200))
    await moveWorkspace(store.routing, w.id, 'two', { graceMs: 0 })
    await new Promise((r) => setTimeout(r, 200))
    go = false
    await Promise.all(writers)
    const ok = results.filter((r) => r.ok).map((r) => r.id)
    const refused = results.filter((r) => !r.ok).map((r) => r.id)
    // Both happened: writes before the fence, refusals after it.
    expect(ok.length).toBeGreaterThan(0)
    expect(refused.length).toBeGreaterThan(0)
    const stored = async (db: TestStore) =>
      (
        await db.sql`select message_id from events where workspace_id = ${w.id}
          and message_id like 'fence-%'`
      ).map((r) => r.message_id as string)
    expect((await stored(dbs[1]!)).sort()).toEqual(ok.sort())
    expect(await stored(dbs[0]!)).toEqual([])
  }, 120_000)

  it('a crash after each step leaves one shard serving; a re-run finishes, --abort undoes', async () => {
    const store = await routed()
    const app = appFor(store)
    for (const step of ['announced', 'fenced', 'copied', 'switched'] as const) {
      const w = await seeded(store, app, `crash-${step}`)
      const before = await snapshot(dbs[0]!, w.id)
      await expect(
        moveWorkspace(store.routing, w.id, 'two', { graceMs: 10, crashAfter: step }),
      ).rejects.toThrow(`crash after ${step}`)
      const served = await store.routing.map.lookup(w.id)
      expect(served, step).toBe(step === 'switched' ? 'two' : 'one')
      if (step !== 'announced') {
        // Fenced: the source refuses ingest, whoever sends it (a process with a stale map).
        await expect(dbs[0]!.ingest(w.id, [event(`${step}-late`, 'late')])).rejects.toBeInstanceOf(
          WorkspaceMovedError,
        )
      }
      const again = await moveWorkspace(store.routing, w.id, 'two', { graceMs: 10 })
      expect(again.outcome, step).toBe(step === 'switched' ? 'cleaned' : 'resumed')
      expect(await store.routing.map.lookup(w.id)).toBe('two')
      expect(await snapshot(dbs[1]!, w.id), step).toEqual(before)
      expect(total(await snapshot(dbs[0]!, w.id)), step).toBe(0)
    }

    // Undo before the switch: the copy goes, the fence lifts, the source serves writes again.
    const w = await seeded(store, app, 'abort')
    await expect(
      moveWorkspace(store.routing, w.id, 'two', { graceMs: 10, crashAfter: 'copied' }),
    ).rejects.toThrow()
    expect(total(await snapshot(dbs[1]!, w.id))).toBeGreaterThan(0)
    // Copied, not switched: the rows are on both shards; listings and sign-in see them once.
    const [{ email }] = (await dbs[0]!.sql`select email from users
      where workspace_id = ${w.id} limit 1`) as unknown as [{ email: string }]
    expect(await store.team.usersByEmail(email)).toHaveLength(1)
    expect((await store.listWorkspaces()).filter((x) => x.id === w.id)).toHaveLength(1)
    await expect(moveWorkspace(store.routing, w.id, 'one', { graceMs: 0 })).rejects.toThrow(
      /move .* to "two" is under way/,
    )
    // The fence names its target even when the move's key is lost.
    await store.routing.map.announce(w.id, null)
    const three = { name: 'three', store: dbs[0]! }
    const wider = createRouting([...store.routing.shards, three], store.routing.map)
    await expect(moveWorkspace(wider, w.id, 'three', { graceMs: 0 })).rejects.toThrow(
      /fenced for a move to "two"/,
    )
    expect((await moveWorkspace(store.routing, w.id, 'two', { abort: true })).outcome).toBe(
      'aborted',
    )
    expect(total(await snapshot(dbs[1]!, w.id))).toBe(0)
    const res = await send(app, w.writeKey, [
      { type: 'track', event: 'Demo Requested', anonymousId: 'abort-a1', messageId: 'abort-after' },
    ])
    expect(res.status).toBe(200)
    const [{ n }] = (await dbs[0]!.sql`select count(*)::int as n from events
      where workspace_id = ${w.id} and message_id = 'abort-after'`) as unknown as [{ n: number }]
    expect(n).toBe(1)
  }, 240_000)
})
