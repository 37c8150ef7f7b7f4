import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { spawnCollector, type ChildCollector } from './support/child-collector.js'
import { startNatsCluster, type NatsCluster } from './support/nats-cluster.js'
import { startPostgres, type RestartablePostgres } from './setup/servers.js'
import { RULES, postBatch, putRules, read, type Event } from './support/person-race.js'
import { planFor } from '../packages/collector/src/adapters/sharded/move.js'
import { dashboardClient } from '../packages/collector/src/test-support/dashboard.js'

// Moving a workspace between shards online, and a shard down in a log partition (issue 20,
// docs/scaling.md "Moving a workspace" and "A shard down"): a nats-server, two PostgreSQL
// servers as shards, two `lodestone start` collectors and a `lodestone process` worker, all in
// their own processes, with one log partition so every workspace's events share it.
// 1. `lodestone shards move` (its own process) moves a workspace with data while events for it
//    and for a workspace of the other shard are sent through both collectors: every event
//    answered 200 is stored once, on the target only; the source keeps no row of it; contacts
//    and scores are as before; the other workspace's events are processed all along.
// 2. One shard's PostgreSQL stopped: the other shard's events in the same partition are stored
//    while it is down; the stopped shard's are stored once after it starts again.

/** dashboardClient over real HTTP to a child collector (redirects answered, not followed). */
const overHttp = {
  request: (url: string, init?: RequestInit) => fetch(url, { ...init, redirect: 'manual' }),
} as unknown as Parameters<typeof dashboardClient>[0]

const BIN = fileURLToPath(new URL('../packages/collector/bin/lodestone.mjs', import.meta.url))

let nats: NatsCluster
const pg: RestartablePostgres[] = []
const sql: postgres.Sql[] = []
const collectors: ChildCollector[] = []
let processor: ChildCollector
let env: Record<string, string>
type Created = { id: string; writeKey: string; secretKey: string }

/** `lodestone …` in its own process, as an operator runs it; its output. */
function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.once('exit', (code) => resolve({ code, out }))
  })
}

async function createWorkspace(name: string): Promise<Created> {
  const r = await cli(['workspace', 'create', '--name', name, '--json'])
  if (r.code !== 0) throw new Error(`workspace create failed:\n${r.out}`)
  return JSON.parse(r.out.trim().split('\n').pop()!) as Created
}

/** Which shard (0 or 1) holds the workspace's row; -1 for none, 2 for both. */
async function home(id: string) {
  const on = await Promise.all(
    sql.map(async (s) => (await s`select 1 from workspaces where id = ${id}`).length > 0),
  )
  return on[0] && on[1] ? 2 : on[0] ? 0 : on[1] ? 1 : -1
}

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000) {
  let v = await read()
  for (const until = Date.now() + ms; !done(v) && Date.now() < until; v = await read())
    await new Promise((r) => setTimeout(r, 250))
  return v
}

const track = (id: string, anonymousId: string, event = 'Demo Requested'): Event => ({
  type: 'track',
  event,
  anonymousId,
  timestamp: new Date().toISOString(),
  messageId: id,
})

/** How many times each messageId is stored for the workspace on the shard. */
async function copies(db: postgres.Sql, workspaceId: string, ids: string[]) {
  const rows = await db`select message_id, count(*)::int as n from events
    where workspace_id = ${workspaceId} and message_id = any(${ids}) group by 1`
  return new Map(rows.map((r) => [r.message_id as string, r.n as number]))
}

beforeAll(async () => {
  nats = await startNatsCluster(1)
  pg.push(await startPostgres(), await startPostgres())
  for (const p of pg) sql.push(postgres(p.url, { max: 2, onnotice: () => {} }))
  env = {
    NATS_URL: nats.url,
    LODESTONE_SHARDS: `one=${pg[0]!.url},two=${pg[1]!.url}`,
    LODESTONE_LOG_PARTITIONS: '1',
    LODESTONE_LOG_ACK_WAIT_MS: '3000',
  }
}, 120_000)

afterAll(async () => {
  for (const c of [...collectors, processor]) c?.kill('SIGKILL')
  await Promise.all([...collectors, processor].map((c) => c?.exited))
  await Promise.all(sql.map((s) => s.end()))
  await nats?.stop()
  await Promise.all(pg.map((p) => p.stop()))
})

describe('shards move under load, and a shard down', () => {
  let a: Created
  let b: Created

  it('moves a workspace online: every event answered 200 stored once, on the target only', async () => {
    a = await createWorkspace('Moving')
    b = await createWorkspace('Staying')
    expect([await home(a.id), await home(b.id)]).toEqual([0, 1])
    collectors.push(await spawnCollector('', env), await spawnCollector('', env))
    processor = await spawnCollector('', env, 'process')
    const [c0, c1] = collectors as [ChildCollector, ChildCollector]

    // A's data before the move: 20 people identified and scored.
    await putRules(c0, a.secretKey, RULES)
    const seed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postBatch(
          collectors[i % 2]!,
          a.writeKey,
          [
            {
              type: 'identify',
              anonymousId: `p${i}`,
              traits: { email: `p${i}@example.com`, title: 'VP Sales' },
              timestamp: new Date().toISOString(),
              messageId: `seed-id-${i}`,
            } as Event,
            track(`seed-t-${i}`, `p${i}`),
          ],
          '?wait=processed',
        ),
      ),
    )
    expect(seed.map((r) => r.status)).toEqual(seed.map(() => 200))
    const before = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        read(c0, a.secretKey, `/v1/contacts/lookup?email=p${i}@example.com`),
      ),
    )
    expect(before.every((c) => c.score.total > 0)).toBe(true)

    // A dashboard member signed in before the move, through the first collector.
    const before0 = dashboardClient(overHttp, c0.url)
    const member = await before0.signIn(a.secretKey, 'marketer')
    expect(member.status).toBe(303)
    expect((await before0.get('/app/contacts')).status).toBe(200)

    // Load: batches for A (new visitors) and B through both collectors until the move ends.
    const sentA: { id: string; status: number }[] = []
    const sentB: { id: string; status: number; processed: unknown }[] = []
    let moving = true
    const load = (async () => {
      for (let n = 0; moving || n < 4; n++) {
        const c = collectors[n % 2]!
        const ida = [`load-a-${n}-0`, `load-a-${n}-1`]
        const idb = `load-b-${n}`
        const [ra, rb] = await Promise.all([
          postBatch(
            c,
            a.writeKey,
            ida.map((id, k) => track(id, `v${n}-${k}`)),
          ).catch(() => ({
            status: 0,
            body: {},
          })),
          postBatch(c, b.writeKey, [track(idb, `w${n}`)], '?wait=processed'),
        ])
        for (const id of ida) sentA.push({ id, status: ra.status })
        sentB.push({ id: idb, status: rb.status, processed: rb.body.processed })
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    await new Promise((r) => setTimeout(r, 1500))
    const dry = await cli(['shards', 'move', a.id, 'two', '--dry-run'])
    expect(dry.code, dry.out).toBe(0)
    expect(dry.out).toMatch(/events: \d+/)
    const moved = await cli(['shards', 'move', a.id, 'two'])
    moving = false
    await load
    expect(moved.code, moved.out).toBe(0)
    expect(moved.out).toMatch(/copied events: \d+/)
    expect(moved.out).toMatch(/switched: .* is served by two/)
    expect(await home(a.id)).toBe(1)

    // Every event answered 200 for A is stored once, on shard two; shard one has none.
    const okA = sentA.filter((s) => s.status === 200).map((s) => s.id)
    expect(okA.length).toBeGreaterThan(10)
    const ids = [
      ...okA,
      ...Array.from({ length: 20 }, (_, i) => [`seed-id-${i}`, `seed-t-${i}`]).flat(),
    ]
    const onTwo = await eventually(
      () => copies(sql[1]!, a.id, ids),
      (m) => m.size === ids.length,
    )
    expect([...onTwo.values()].every((n) => n === 1)).toBe(true)
    expect(onTwo.size).toBe(ids.length)
    // Not answered 200 (a 503 with Retry-After while held): never stored anywhere it should not.
    for (const s of sentA.filter((x) => x.status !== 200)) expect([0, 503]).toContain(s.status)
    const plan = await planFor(sql[0]!, a.id)
    for (const t of plan.tables) {
      const [{ n }] = (await sql[0]!.unsafe(
        `select count(*)::int as n from "${t.name}" where ${t.filter}`,
      )) as unknown as [{ n: number }]
      expect(n, `${t.name} on the source`).toBe(0)
    }

    // B was never paused: every request answered 200 and processed; stored once on shard two.
    expect(sentB.map((s) => s.status)).toEqual(sentB.map(() => 200))
    expect(sentB.filter((s) => s.processed !== true)).toEqual([])
    const bStored = await copies(
      sql[1]!,
      b.id,
      sentB.map((s) => s.id),
    )
    expect([...bStored.values()].every((n) => n === 1) && bStored.size === sentB.length).toBe(true)

    // Reads through the other collector: the same contacts and scores as before the move.
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        read(c1, a.secretKey, `/v1/contacts/lookup?email=p${i}@example.com`),
      ),
    )
    expect(after.map((c) => [c.id, c.score.total, c.traits])).toEqual(
      before.map((c) => [c.id, c.score.total, c.traits]),
    )
    // The dashboard: the session made before the move still opens the contacts page (its row
    // moved), and the member signs in with the same password through the other collector.
    const page0 = await before0.get('/app/contacts')
    expect(page0.status).toBe(200)
    expect(await page0.text()).toContain('p0@example.com')
    const after1 = dashboardClient(overHttp, c1.url)
    expect((await after1.signInWith(member.email, member.password)).status).toBe(303)
    const page1 = await after1.get('/app/contacts')
    expect(page1.status).toBe(200)
    expect(await page1.text()).toContain('p1@example.com')
    const list = await read<{ contacts: unknown[] }>(c1, a.secretKey, '/v1/contacts?limit=1000')
    const visitors = new Set(okA.map((id) => id.replace(/^load-a-(\d+)-(\d)$/, 'v$1-$2')))
    expect(list.contacts).toHaveLength(20 + visitors.size)
    const listed = await cli(['shards', 'list', '--json'])
    const shards = JSON.parse(listed.out.trim().split('\n').pop()!) as {
      shard: string
      workspaces: { id: string; events: number; served: boolean }[]
    }[]
    expect(
      shards.find((s) => s.shard === 'two')!.workspaces.find((w) => w.id === a.id),
    ).toMatchObject({
      events: ids.length,
      served: true,
    })
    expect(shards.find((s) => s.shard === 'one')!.workspaces.some((w) => w.id === a.id)).toBe(false)
  }, 300_000)

  it('a shard down holds up only its own workspaces’ events in a shared partition', async () => {
    // Both workspaces are on shard two now: a new one goes to the emptier shard one.
    const nc = await connect({ servers: nats.url.split(',') })
    const jsm = await jetstreamManager(nc)
    const c = await createWorkspace('On one')
    expect(await home(c.id)).toBe(0)
    const [c0, c1] = collectors as [ChildCollector, ChildCollector]
    // Each collector has the keys cached (a key is looked up on every shard, one of them down).
    for (const col of collectors)
      expect((await postBatch(col, c.writeKey, [track(`warm-${col.url}`, 'warm')])).status).toBe(
        200,
      )
    await eventually(
      () =>
        copies(
          sql[0]!,
          c.id,
          collectors.map((col) => `warm-${col.url}`),
        ),
      (m) => m.size === 2,
    )

    pg[0]!.halt()
    try {
      const down = Array.from({ length: 10 }, (_, i) => `down-c-${i}`)
      const up = Array.from({ length: 10 }, (_, i) => `down-b-${i}`)
      // Interleaved in the one partition: C (shard one, down) and B (shard two).
      for (let i = 0; i < 10; i++) {
        const rc = await postBatch(i % 2 ? c1 : c0, c.writeKey, [track(down[i]!, `dc${i}`)])
        const rb = await postBatch(i % 2 ? c0 : c1, b.writeKey, [track(up[i]!, `db${i}`)])
        expect([rc.status, rb.status]).toEqual([200, 200])
      }
      // B's events are stored while shard one is still down.
      const stored = await eventually(
        () => copies(sql[1]!, b.id, up),
        (m) => m.size === up.length,
        30_000,
      )
      expect(stored.size).toBe(up.length)
      // …and acknowledged (the stream is a work queue: an acknowledged message leaves it): what
      // the log still holds is exactly the stopped shard's events, redelivered until it is back.
      const left = await eventually(
        async () => (await jsm.streams.info('LODESTONE_EVENTS')).state.messages,
        (n) => n === down.length,
        30_000,
      )
      expect(left).toBe(down.length)
      expect(await processor.output()).toMatch(/events failed, will be redelivered/)

      pg[0]!.restart()
      const later = await eventually(
        () => copies(sql[0]!, c.id, down),
        (m) => m.size === down.length,
        90_000,
      )
      expect(later.size).toBe(down.length)
      expect([...later.values()].every((n) => n === 1)).toBe(true)
      expect([...stored.values()].every((n) => n === 1)).toBe(true)
      expect(
        await eventually(
          async () => (await jsm.streams.info('LODESTONE_EVENTS')).state.messages,
          (n) => n === 0,
        ),
      ).toBe(0)
    } finally {
      await nc.close()
      try {
        pg[0]!.restart()
      } catch {
        // already running
      }
    }
  }, 240_000)
})
