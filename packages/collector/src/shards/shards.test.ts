import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNatsCluster, type NatsCluster } from '../../../../test/support/nats-cluster.js'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { keyFor, sessionFor } from '../test-support/team.js'
import { createApp } from '../app.js'
import { createLiveFeed } from '../live/feed.js'
import { EnvError, readEnv } from '../entry/env.js'
import workers from '../entry/workers.js'
import { parseShardList } from './config.js'
import { expectedLoad, leastLoaded, loadOf } from './placement.js'
import { createKvShardMap } from '../adapters/sharded/kv-map.js'
import { createRouting, routedStore, ROUTED, storedRows } from '../adapters/sharded/router.js'
import { openAudiencePorts } from '../adapters/sharded/ports.js'
import type { ShardMap } from './port.js'
import { RULES } from '../../../../test/support/person-race.js'

// Sharding by workspace (docs/scaling.md, "Sharding"): the configuration, placement, the map in
// a real JetStream key-value bucket (one nats-server) and the routing over two real PostgreSQL
// databases, in request mode (no log): every read and write lands on the workspace's shard.

describe('LODESTONE_SHARDS', () => {
  it('reads name=url pairs in order; a multi-host URL keeps its commas', () => {
    expect(parseShardList('a=postgres://h1/db, b-2=postgresql://u:p@h2:6432/db')).toEqual([
      { name: 'a', url: 'postgres://h1/db' },
      { name: 'b-2', url: 'postgresql://u:p@h2:6432/db' },
    ])
    expect(parseShardList('a=postgres://h1,h2/db,b=postgres://h3/db')).toEqual([
      { name: 'a', url: 'postgres://h1,h2/db' },
      { name: 'b', url: 'postgres://h3/db' },
    ])
  })

  it('refuses bad names, other schemes, repeats, and never echoes a URL', () => {
    const cases: [string, RegExp][] = [
      ['postgres://h1/db', /shard 1 needs a name/],
      ['A B=postgres://h/db', /shard 1 needs a name/],
      ['a=mysql://u:secret@h/db', /shard "a" needs a postgres:\/\/ URL/],
      ['a=postgres://h1/db,a=postgres://h2/db', /"a" is named twice/],
      ['a=postgres://h1/db,b=postgres://h1/db', /"b" has the same URL/],
    ]
    for (const [value, problem] of cases) {
      const parsed = parseShardList(value)
      expect(parsed).toEqual({ problem: expect.stringMatching(problem) })
      expect(JSON.stringify(parsed)).not.toContain('secret')
    }
    let error: unknown
    try {
      readEnv({ LODESTONE_SHARDS: 'a=mysql://u:secret@h/db', NATS_URL: 'nats://n:4222' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(EnvError)
    expect((error as EnvError).problems).toEqual([
      expect.stringMatching(/^LODESTONE_SHARDS must be name=postgres:\/\/… pairs/),
    ])
    expect((error as EnvError).message).not.toContain('secret')
  })

  it('needs NATS_URL (the map lives there) and excludes DATABASE_URL', () => {
    const shards = 'a=postgres://h1/db,b=postgres://h2/db'
    expect(readEnv({ LODESTONE_SHARDS: shards, NATS_URL: 'nats://n:4222' }).shards).toHaveLength(2)
    expect(readEnv({}).shards).toBeUndefined()
    const problems = (env: Record<string, string>) => {
      try {
        readEnv(env)
        return []
      } catch (err) {
        return (err as EnvError).problems
      }
    }
    expect(problems({ LODESTONE_SHARDS: shards })).toEqual([
      expect.stringContaining('LODESTONE_SHARDS needs NATS_URL'),
    ])
    expect(
      problems({
        LODESTONE_SHARDS: shards,
        NATS_URL: 'nats://n:4222',
        DATABASE_URL: 'postgres://x/y',
      }),
    ).toEqual([expect.stringContaining('LODESTONE_SHARDS and DATABASE_URL are exclusive')])
  })
  it('on Workers answers misconfigured (the map is read over NATS, a Node connection)', async () => {
    const res = await workers.fetch(
      new Request('http://collector.test/health'),
      {
        DATABASE_URL: '',
        LODESTONE_SHARDS: 'a=postgres://127.0.0.1:1/x',
        NATS_URL: 'nats://127.0.0.1:4222',
      },
      { waitUntil: () => {} },
    )
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error).toMatchObject({ code: 'misconfigured' })
    expect(body.error.message).toContain('LODESTONE_SHARDS needs the Node entry')
  })
})

describe('placement', () => {
  it('picks the shard with the fewest workspaces, the first configured on a tie', () => {
    expect(leastLoaded(['a', 'b'], new Map())).toBe('a')
    expect(
      leastLoaded(
        ['a', 'b', 'c'],
        new Map([
          ['a', 2],
          ['b', 1],
          ['c', 1],
        ]),
      ),
    ).toBe('b')
    const map = new Map([
      ['w1', 'a'],
      ['w2', 'b'],
      ['w3', 'a'],
      ['w4', 'gone'],
    ])
    expect(loadOf(map)).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
        ['gone', 1],
      ]),
    )
    expect(leastLoaded(['a', 'b'], loadOf(map))).toBe('b')
    expect(() => leastLoaded([], new Map())).toThrow(/no shard/)
  })

  it('weighs stored rows, each workspace counted as an average one', () => {
    const count = new Map([
      ['a', 1],
      ['b', 2],
    ])
    // No rows anywhere: the workspace count decides, as before.
    expect(expectedLoad(['a', 'b'], count, new Map())).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    )
    // One big workspace on a, two new ones on b: b is the lighter, though it has more workspaces.
    const load = expectedLoad(
      ['a', 'b'],
      count,
      new Map([
        ['a', 210],
        ['b', 0],
      ]),
    )
    expect(load).toEqual(
      new Map([
        ['a', 280],
        ['b', 140],
      ]),
    )
    expect(leastLoaded(['a', 'b'], load)).toBe('b')
    // Both store rows: b's ten workspaces count as ten average ones, so a is the lighter,
    // though by rows alone b would be (900 < 1,000).
    const many = expectedLoad(
      ['a', 'b'],
      new Map([
        ['a', 1],
        ['b', 10],
      ]),
      new Map([
        ['a', 1000],
        ['b', 900],
      ]),
    )
    expect(leastLoaded(['a', 'b'], many)).toBe('a')
    // A shard that could not be read gets nothing new.
    const down = expectedLoad(['a', 'b'], new Map(), new Map([['a', Infinity]]))
    expect(leastLoaded(['a', 'b'], down)).toBe('b')
  })
})

let nats: NatsCluster
const dbs: TestStore[] = []
const maps: ShardMap[] = []
let bucket = 0
const openMap = async () => {
  const map = await createKvShardMap({ servers: nats.url, bucket: `t_shards_${bucket}` })
  maps.push(map)
  return map
}

beforeAll(async () => {
  nats = await startNatsCluster(1)
  dbs.push(await openTestStore('postgres'), await openTestStore('postgres'))
}, 60_000)

afterAll(async () => {
  for (const m of maps) await m.close()
  for (const d of dbs) await d.close()
  await nats?.stop()
})

/** A routed store over the two test databases with a fresh bucket of its own. */
async function routed() {
  bucket++
  const map = await openMap()
  const shards = [
    { name: 'one', store: dbs[0]! },
    { name: 'two', store: dbs[1]! },
  ]
  return routedStore(createRouting(shards, map))
}

describe('the map in a JetStream key-value bucket', () => {
  it('racing assignments of one workspace agree on the first writer (create = compare-and-set)', async () => {
    bucket++
    const [m1, m2] = [await openMap(), await openMap()]
    for (let i = 0; i < 10; i++) {
      const ws = `ws_race${i}`
      const [a, b] = await Promise.all([m1.assign(ws, 'one'), m2.assign(ws, 'two')])
      expect(a).toBe(b)
      expect(await m1.lookup(ws)).toBe(a)
      expect(await m2.lookup(ws)).toBe(a)
    }
    // A third process opening the bucket later catches up with every mapping through its watch.
    const m3 = await openMap()
    const seen = await m3.entries()
    for (let i = 0; i < 10; i++)
      expect(seen.get(`ws_race${i}`)).toBe(await m1.lookup(`ws_race${i}`))
    expect(await m3.lookup('ws_unknown')).toBeNull()
  })
})

describe('routing by workspace over two databases', () => {
  it('places workspaces on the least loaded shard and lists them from both', async () => {
    const store = await routed()
    const created = []
    for (let i = 0; i < 4; i++) created.push(await store.createWorkspace({ name: `W${i}` }))
    const on = async (db: TestStore, id: string) =>
      (await db.sql`select 1 from workspaces where id = ${id}`).length === 1
    expect(await Promise.all(created.map((w) => on(dbs[0]!, w.id)))).toEqual([
      true,
      false,
      true,
      false,
    ])
    expect(await Promise.all(created.map((w) => on(dbs[1]!, w.id)))).toEqual([
      false,
      true,
      false,
      true,
    ])
    const listed = (await store.listWorkspaces()).map((w) => w.id)
    for (const w of created) expect(listed).toContain(w.id)
    expect(await store.workspaceByWriteKey(created[1]!.writeKey)).toMatchObject({
      id: created[1]!.id,
    })
    expect(await store.workspaceBySecretKey(created[2]!.secretKey)).toMatchObject({
      id: created[2]!.id,
    })
    expect(await store.workspaceByWriteKey('wk_nosuchkey')).toBeNull()
  })

  it('adopts a workspace the map lacks from the database holding it; unknown ones are 404', async () => {
    const store = await routed()
    const before = await dbs[1]!.createWorkspace({ name: 'Before sharding' })
    expect(await store.routing.map.lookup(before.id)).toBeNull()
    expect(await store.routing.indexOf(before.id)).toBe(1)
    expect(await store.routing.map.lookup(before.id)).toBe('two')
    await expect(store.getRules('ws_nowhere')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('migrate completes the map from the databases, so placement counts workspaces from before sharding', async () => {
    const store = await routed()
    const old = [
      await dbs[0]!.createWorkspace({ name: 'Old 1' }),
      await dbs[0]!.createWorkspace({ name: 'Old 2' }),
    ]
    for (const w of old) expect(await store.routing.map.lookup(w.id)).toBeNull()
    await store.migrate()
    for (const w of old) expect(await store.routing.map.lookup(w.id)).toBe('one')
    const rows = await Promise.all(dbs.map((d) => d.listWorkspaces()))
    const load = loadOf(await store.routing.map.entries())
    expect([load.get('one'), load.get('two')]).toEqual(rows.map((r) => r.length))
    const next = await store.createWorkspace({ name: 'Next' })
    const emptier = rows[0]!.length <= rows[1]!.length ? 'one' : 'two'
    expect(await store.routing.map.lookup(next.id)).toBe(emptier)
  })

  it('request mode: ingest, API reads, keys, rules and the dashboard each reach the workspace’s shard', async () => {
    const store = await routed()
    const [w1, w2] = [
      await store.createWorkspace({ name: 'One' }),
      await store.createWorkspace({ name: 'Two' }),
    ]
    const { segments, lists, databases } = openAudiencePorts(store)
    expect(databases.map((d) => d.name)).toEqual(['one', 'two'])
    const app = createApp({
      store,
      team: store.team,
      reports: store.reports,
      dashboardStore: store.dashboardStore,
      segments,
      lists,
      live: createLiveFeed(),
      clock: { now: () => new Date() },
      config: {},
      sessionSecret: 'test-secret-for-sharding',
    })
    for (const [i, w] of [w1, w2].entries()) {
      const res = await app.request('/v1/batch', {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${w.writeKey}:`)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          batch: [
            {
              type: 'identify',
              anonymousId: `a-${i}`,
              traits: { email: `p${i}@example.com` },
              messageId: `m-${i}`,
            },
            { type: 'track', event: 'Signed Up', anonymousId: `a-${i}`, messageId: `m-${i}-2` },
          ],
        }),
      })
      expect(res.status).toBe(200)
      const segment = await app.request('/v1/segments', {
        method: 'POST',
        headers: { authorization: `Bearer ${w.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Seen', conditions: { lastSeen: { within: '30d' } } }),
      })
      expect(segment.status).toBeLessThan(300)
      const rules = await app.request('/v1/scoring/rules', {
        method: 'PUT',
        headers: { authorization: `Bearer ${w.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(RULES),
      })
      expect(rules.status).toBe(200)
    }
    for (const [i, w] of [w1, w2].entries()) {
      const own = dbs[i]!
      const other = dbs[1 - i]!
      const count = async (db: TestStore, table: string) =>
        (
          await db.sql`select count(*)::int as n from ${db.sql(table)} where workspace_id = ${w.id}`
        )[0]!.n
      for (const table of ['events', 'contacts', 'identities', 'segments', 'scoring_rules']) {
        expect(await count(own, table), table).toBeGreaterThan(0)
        expect(await count(other, table), table).toBe(0)
      }
      const read = await app.request(`/v1/contacts/lookup?email=p${i}@example.com`, {
        headers: { authorization: `Bearer ${w.secretKey}` },
      })
      expect(read.status).toBe(200)
      // A scoped key made through the routed team port resolves to its workspace.
      const key = await keyFor(store.team, w.id, ['read'])
      const list = await app.request('/v1/contacts?limit=10', {
        headers: { authorization: `Bearer ${key}` },
      })
      expect(((await list.json()) as { contacts: unknown[] }).contacts).toHaveLength(1)
      // Dashboard: a member's session (stored on the shard) opens the contacts page.
      const session = await sessionFor(store.team, 'test-secret-for-sharding', w.id, 'marketer')
      const page = await app.request('/app/contacts', { headers: { cookie: session.cookie } })
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain(`p${i}@example.com`)
      expect(html).not.toContain(`p${1 - i}@example.com`)
      expect((await store.team.usersByEmail('nobody@example.com')).length).toBe(0)
    }
    // The other workspace's key does not read this one's contact.
    const cross = await app.request('/v1/contacts/lookup?email=p0@example.com', {
      headers: { authorization: `Bearer ${w2.secretKey}` },
    })
    expect(cross.status).toBe(404)
  })
})

describe('placement by what the shards store', () => {
  it('a new workspace goes to the shard with less stored, not the one with fewer workspaces', async () => {
    const fresh = [await openTestStore('postgres'), await openTestStore('postgres')]
    dbs.push(...fresh) // closed with the others
    bucket++
    const map = await openMap()
    const store = routedStore(
      createRouting(
        [
          { name: 'one', store: fresh[0]! },
          { name: 'two', store: fresh[1]! },
        ],
        map,
      ),
    )
    // Shard one: one workspace with 40 visitors × 5 events; shard two: two empty workspaces.
    const big = await fresh[0]!.createWorkspace({ name: 'Big' })
    await fresh[1]!.createWorkspace({ name: 'New 1' })
    await fresh[1]!.createWorkspace({ name: 'New 2' })
    await store.migrate() // maps all three to their shards
    const events = Array.from({ length: 200 }, (_, i) => {
      const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()
      return {
        messageId: `big-${i}`,
        type: 'track',
        event: 'Seen',
        name: null,
        userId: null,
        anonymousId: `big-v${i % 40}`,
        timestamp,
        originalTimestamp: timestamp,
        sentAt: null,
        receivedAt: timestamp,
        payload: { type: 'track', event: 'Seen' },
      }
    })
    await store.ingest(big.id, events as never)
    // PostgreSQL's statistics count the rows within about a second of the commit.
    for (const until = Date.now() + 15_000; (await storedRows(fresh[0]!)) < 240;) {
      if (Date.now() > until) throw new Error('statistics never counted the rows')
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(await storedRows(fresh[1]!)).toBe(0)
    // By count shard one (1 workspace) would be chosen; by what is stored, shard two.
    expect(leastLoaded(['one', 'two'], loadOf(await map.entries()))).toBe('one')
    const next = await store.createWorkspace({ name: 'Next' })
    expect(await map.lookup(next.id)).toBe('two')
    expect((await fresh[1]!.sql`select 1 from workspaces where id = ${next.id}`).length).toBe(1)
  })
})

describe('every routed method takes the workspace first', () => {
  it('the routed ports route by a first parameter named workspaceId; the rest are handled one by one', async () => {
    const store = await routed()
    const { segments, lists, audienceReads } = openAudiencePorts(store)
    // No single database behind a sharded store: a port built on its `sql` would read one shard.
    expect(() => store.sql).toThrow(/no single database/)
    const pairs: [string, object, object][] = [
      ['store', store, dbs[0]!],
      ['team', store.team, dbs[0]!.team],
      ['reports', store.reports, dbs[0]!.reports],
      ['dashboardStore', store.dashboardStore, dbs[0]!.dashboardStore],
      ['segments', segments, openAudiencePorts(dbs[0]!).segments],
      ['lists', lists, openAudiencePorts(dbs[0]!).lists],
      ['audienceReads', audienceReads, openAudiencePorts(dbs[0]!).audienceReads],
    ]
    const firstParam = (fn: (...args: never[]) => unknown) =>
      /^(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*)?(?:[\w$]+\s*)?\(\s*([\w$]*)/.exec(
        fn.toString(),
      )?.[1] ?? /^(?:async\s+)?([\w$]+)\s*=>/.exec(fn.toString())?.[1]
    let routedCount = 0
    for (const [port, routedPort, onePort] of pairs) {
      for (const [name, fn] of Object.entries(onePort)) {
        if (typeof fn !== 'function' || name === 'sql') continue
        const r = (routedPort as Record<string, unknown>)[name] as ((
          ...args: never[]
        ) => unknown) & {
          [ROUTED]?: boolean
        }
        expect(typeof r, `${port}.${name} is missing from the routed port`).toBe('function')
        if (r[ROUTED]) {
          routedCount++
          expect(firstParam(fn), `${port}.${name}`).toBe('workspaceId')
        }
      }
    }
    expect(routedCount).toBeGreaterThan(60)
  })
})
