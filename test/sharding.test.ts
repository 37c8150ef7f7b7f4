import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { Kvm } from '@nats-io/kv'
import { jetstreamManager } from '@nats-io/jetstream'
import { createScorer } from '../packages/scoring/src/index.js'
import { spawnCollector, type ChildCollector } from './support/child-collector.js'
import { startNatsCluster, type NatsCluster } from './support/nats-cluster.js'
import { startPostgres, type RestartablePostgres } from './setup/servers.js'
import {
  PERSONS,
  RULES,
  personBatches,
  postBatch,
  putRules,
  storedEvents,
  read,
  sortIds,
  type Event,
} from './support/person-race.js'

// PostgreSQL sharded by workspace (issue 20, docs/scaling.md "Sharding"): three real nats-server
// nodes (the log's stream and the workspace → shard map, both with three replicas), two
// PostgreSQL servers as shards, two `lodestone start` collectors and two `lodestone process`
// workers. Workspaces are created with the CLI, each in its own process, and must spread over
// both shards; the race of test/horizontal.test.ts runs on one workspace of each shard at once
// and must end as it does on one database, each shard holding only its own workspaces' rows.

const BIN = fileURLToPath(new URL('../packages/collector/bin/lodestone.mjs', import.meta.url))

let nats: NatsCluster
const pg: RestartablePostgres[] = []
const sql: postgres.Sql[] = []
const collectors: ChildCollector[] = []
const processors: ChildCollector[] = []
type Created = { id: string; writeKey: string; secretKey: string }
const workspaces: Created[] = []
let env: Record<string, string>

/** `lodestone workspace create --json` in its own process, as an operator runs it. */
function createWorkspace(name: string): Promise<Created> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'workspace', 'create', '--name', name, '--json'], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`workspace create failed:\n${out}`))
      resolve(JSON.parse(out.trim().split('\n').pop()!) as Created)
    })
  })
}

beforeAll(async () => {
  nats = await startNatsCluster(3)
  pg.push(await startPostgres(), await startPostgres())
  for (const p of pg) sql.push(postgres(p.url, { max: 2, onnotice: () => {} }))
  env = {
    NATS_URL: nats.url,
    LODESTONE_SHARDS: `one=${pg[0]!.url},two=${pg[1]!.url}`,
    LODESTONE_LOG_REPLICAS: '3',
    LODESTONE_LOG_PARTITIONS: '4',
    LODESTONE_LOG_ACK_WAIT_MS: '3000',
  }
  // One after another: each new process reads the map from the bucket to find the least loaded.
  for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta'])
    workspaces.push(await createWorkspace(name))
  const start = (command: 'start' | 'process') => spawnCollector('', env, command)
  collectors.push(await start('start'), await start('start'))
  processors.push(...(await Promise.all([start('process'), start('process')])))
}, 240_000)

afterAll(async () => {
  for (const c of [...collectors, ...processors]) c.kill('SIGKILL')
  await Promise.all([...collectors, ...processors].map((c) => c.exited))
  await Promise.all(sql.map((s) => s.end()))
  await nats?.stop()
  await Promise.all(pg.map((p) => p.stop()))
})

/** Which shard (0 or 1) holds each workspace's row. */
async function homes() {
  const held = await Promise.all(sql.map((s) => s`select id from workspaces`))
  return new Map(held.flatMap((rows, i) => rows.map((r) => [r.id as string, i] as const)))
}

/** Polls `count` until it reaches `want` or 60 s pass; returns the last count. */
async function eventually(count: () => Promise<number>, want = 1) {
  let n = await count()
  for (const until = Date.now() + 60_000; n < want && Date.now() < until; n = await count())
    await new Promise((r) => setTimeout(r, 250))
  return n
}

const post = (c: ChildCollector, ws: Created, batch: Event[], query = '') =>
  postBatch(c, ws.writeKey, batch, query)

describe('sharding: 3 nats-server nodes, 2 PostgreSQL shards, 2 collectors, 2 processors', () => {
  it('places new workspaces on the least loaded shard and records them in the replicated map', async () => {
    const home = await homes()
    // Four workspaces, created one after another by four processes: two on each shard.
    expect(workspaces.map((w) => home.get(w.id))).toEqual([0, 1, 0, 1])
    const nc = await connect({ servers: nats.url.split(',') })
    try {
      const kv = await new Kvm(nc).open('lodestone_shards')
      const status = await kv.status()
      expect(status.replicas).toBe(3)
      for (const w of workspaces) {
        const entry = await kv.get(`ws.${w.id}`)
        expect(entry?.string()).toBe(home.get(w.id) === 0 ? 'one' : 'two')
      }
    } finally {
      await nc.close()
    }
  })

  it('the two-collector race ends as one process would, per workspace on its own shard', async () => {
    const [a, b] = collectors as [ChildCollector, ChildCollector]
    const home = await homes()
    // One workspace on each shard, raced at the same time.
    const raced = [workspaces[0]!, workspaces[1]!]
    expect(raced.map((w) => home.get(w.id))).toEqual([0, 1])
    for (const w of raced) await putRules(a, w.secretKey, RULES)
    const people = raced.map((_, k) =>
      Array.from({ length: PERSONS }, (_, i) => personBatches(`shard${k}`, i)),
    )
    const first = await Promise.all(
      raced.flatMap((w, k) =>
        people[k]!.flatMap((p) => [
          post(a, w, p.phase1[0], '?wait=processed'),
          post(b, w, p.phase1[1], '?wait=processed'),
        ]),
      ),
    )
    expect(first.map((r) => r.status)).toEqual(first.map(() => 200))
    expect(first.every((r) => r.body.processed === true)).toBe(true)
    // The same messageId went to both collectors for each person: one copy of each is a duplicate.
    expect(first.reduce((n, r) => n + (r.body.duplicates as number), 0)).toBe(2 * PERSONS)

    const second = await Promise.all(
      raced.flatMap((w, k) =>
        people[k]!.flatMap((p) => [post(a, w, p.phase2[0]), post(b, w, p.phase2[1])]),
      ),
    )
    expect(second.map((r) => r.status)).toEqual(second.map(() => 200))
    const total = PERSONS * people[0]![0]!.events.length
    for (const [k, w] of raced.entries())
      expect(await storedEvents(sql[k]!, w.id, total)).toBe(total)

    const scorer = createScorer(RULES)
    for (const [k, w] of raced.entries()) {
      // Reads through either collector reach the workspace's shard.
      const list = await read<{ contacts: unknown[] }>(b, w.secretKey, '/v1/contacts?limit=1000')
      expect(list.contacts).toHaveLength(PERSONS)
      for (const person of people[k]!) {
        const c = await read(a, w.secretKey, `/v1/contacts/lookup?anonymousId=${person.A}`)
        expect(sortIds(c.identities)).toEqual(sortIds(person.identities))
        const expected = scorer.score(scorer.replay(person.events), c.traits, Date.now())
        expect(c.score).toMatchObject({ total: expected.total, grade: expected.grade })
        expect(expected.total).toBe(20 + 10 + 30 + 30)
      }
      const [counts] = await sql[k]!`select
        (select count(*)::int from events where workspace_id = ${w.id}) as events,
        (select count(distinct message_id)::int from events where workspace_id = ${w.id}) as messages,
        (select count(*)::int from contacts where workspace_id = ${w.id}
          and merged_into is null) as live`
      expect(counts).toEqual({ events: total, messages: total, live: PERSONS })
    }

    // Each shard holds only its own workspaces: rows, contacts, identities, events, rules.
    for (const [k, db] of sql.entries()) {
      const own = workspaces.filter((w) => home.get(w.id) === k).map((w) => w.id)
      for (const table of ['workspaces', 'contacts', 'identities', 'events', 'scoring_rules']) {
        const column = table === 'workspaces' ? 'id' : 'workspace_id'
        const rows = await db`select distinct ${db(column)} as ws from ${db(table)}`
        for (const r of rows) expect(own, `${table} on shard ${k}`).toContain(r.ws)
      }
      const [{ n }] = (await db`select count(*)::int as n from contacts`) as unknown as [
        { n: number },
      ]
      expect(n).toBeGreaterThanOrEqual(PERSONS)
    }
  }, 240_000)

  it('a workspace created while collectors run is found by them (the map is watched)', async () => {
    const late = await createWorkspace('Late')
    const home = await homes()
    expect(home.has(late.id)).toBe(true)
    const batch: Event[] = [
      {
        type: 'track',
        event: 'Demo Requested',
        anonymousId: 'late-1',
        timestamp: new Date().toISOString(),
        messageId: 'late-1',
      },
    ]
    for (const c of collectors) {
      const r = await post(c, late, batch, '?wait=processed')
      expect(r.status).toBe(200)
      expect(r.body.processed).toBe(true)
    }
    const k = home.get(late.id)!
    const [own] = await sql[
      k
    ]!`select count(*)::int as n from events where workspace_id = ${late.id}`
    const [other] = await sql[1 - k]!`select count(*)::int as n from events
      where workspace_id = ${late.id}`
    expect([own!.n, other!.n]).toEqual([1, 0])
  }, 120_000)

  it('routing keeps working with the map bucket’s leader node SIGKILLed', async () => {
    // The node leading the map's stream (the bucket has three replicas) dies while the collectors
    // and processors use the map; the two others elect a new leader.
    const nc = await connect({ servers: nats.url.split(',') })
    const leader = await jetstreamManager(nc)
      .then((jsm) => jsm.streams.info('KV_lodestone_shards'))
      .then((info) => info.cluster?.leader)
    await nc.close()
    const node = nats.nodes.find((n) => n.name === leader)
    expect(node).toBeDefined()
    node!.kill('SIGKILL')
    await node!.exited
    const survivors = nats.nodes.filter((n) => n !== node)

    // Known workspaces route at once (each process holds the map); their events still reach
    // only their own shard.
    const home = await homes()
    const sent = workspaces.map((w, k) => ({ w, id: `after-kill-${k}` }))
    const answers = await Promise.all(
      sent.map(({ w, id }, k) =>
        post(
          collectors[k % 2]!,
          w,
          [
            {
              type: 'track',
              event: 'Demo Requested',
              anonymousId: id,
              timestamp: new Date().toISOString(),
              messageId: id,
            },
          ],
          '?wait=processed',
        ),
      ),
    )
    expect(answers.map((r) => r.status)).toEqual(sent.map(() => 200))
    // Answered 200 once in the log; a processor whose consumer lost its leader too commits them
    // once the consumer has a new one (`?wait=processed` may give up first).
    for (const { w, id } of sent) {
      const k = home.get(w.id)!
      const own = await eventually(async () => {
        const [r] = await sql[k]!`select count(*)::int as n from events
          where workspace_id = ${w.id} and message_id = ${id}`
        return r!.n as number
      })
      const [other] = await sql[1 - k]!`select count(*)::int as n from events
        where message_id = ${id}`
      expect([own, other!.n]).toEqual([1, 0])
    }

    // A new workspace is placed and mapped through the two survivors (a KV create needs a
    // majority of the three replicas), and both collectors route to it.
    const created = await createWorkspace('After kill')
    const placed = (await homes()).get(created.id)
    expect(placed).toBeDefined()
    const nc2 = await connect({ servers: survivors.map((n) => n.url) })
    try {
      const entry = await (await new Kvm(nc2).open('lodestone_shards')).get(`ws.${created.id}`)
      expect(entry?.string()).toBe(placed === 0 ? 'one' : 'two')
      const info = await (await jetstreamManager(nc2)).streams.info('KV_lodestone_shards')
      expect(info.cluster?.leader).toBeDefined()
      expect(info.cluster?.leader).not.toBe(leader)
    } finally {
      await nc2.close()
    }
    for (const [k, c] of collectors.entries()) {
      const id = `after-kill-new-${k}`
      const r = await post(
        c,
        created,
        [
          {
            type: 'track',
            event: 'Demo Requested',
            anonymousId: id,
            timestamp: new Date().toISOString(),
            messageId: id,
          },
        ],
        '?wait=processed',
      )
      expect(r.status).toBe(200)
    }
    const stored = await eventually(async () => {
      const [r] = await sql[placed!]!`select count(*)::int as n from events
        where workspace_id = ${created.id}`
      return r!.n as number
    }, 2)
    expect(stored).toBe(2)
  }, 180_000)
})
