import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { createScorer } from '../packages/scoring/src/index.js'
import { freshDatabase, spawnCollector, type ChildCollector } from './support/child-collector.js'
import { startNatsCluster, type NatsCluster } from './support/nats-cluster.js'
import {
  PERSONS,
  RULES,
  personBatches,
  postBatch,
  putRules,
  storedEvents as waitForEvents,
  read,
  sortIds,
  type Event,
} from './support/person-race.js'

// Log mode (issue 20, docs/scaling.md): three real nats-server nodes form a JetStream cluster on
// loopback, the stream has three replicas; two `lodestone start` collectors append to it and two
// `lodestone process` workers commit to one PostgreSQL database. The race of
// test/horizontal.test.ts must end the same way through the log, and killing the stream leader or
// a processor mid-load must lose nothing and store nothing twice.

let nats: NatsCluster
let db: Awaited<ReturnType<typeof freshDatabase>>
const collectors: ChildCollector[] = []
const processors: ChildCollector[] = []
const STREAM_ENV = {
  LODESTONE_LOG_REPLICAS: '3',
  LODESTONE_LOG_PARTITIONS: '4',
  LODESTONE_LOG_ACK_WAIT_MS: '3000',
}

beforeAll(async () => {
  nats = await startNatsCluster(3)
  db = await freshDatabase()
  const env = { NATS_URL: nats.url, ...STREAM_ENV }
  collectors.push(await spawnCollector(db.url, env), await spawnCollector(db.url, env))
  processors.push(
    ...(await Promise.all([
      spawnCollector(db.url, env, 'process'),
      spawnCollector(db.url, env, 'process'),
    ])),
  )
}, 120_000)

afterAll(async () => {
  for (const c of [...collectors, ...processors]) c.kill('SIGKILL')
  await Promise.all([...collectors, ...processors].map((c) => c.exited))
  await nats?.stop()
  await db?.store.close()
})

const post = (c: ChildCollector, batch: Event[], query = '') =>
  postBatch(c, db.workspace.writeKey, batch, query)

const storedEvents = (count: number) => waitForEvents(db.store.sql, db.workspace.id, count)

describe('log mode: 3 nats-server nodes, 2 collectors, 2 processors, one database', () => {
  it('the two-collector race makes one contact per person, scored as one process would', async () => {
    const [a, b] = collectors as [ChildCollector, ChildCollector]
    await putRules(a, db.workspace.secretKey, RULES)
    const people = Array.from({ length: PERSONS }, (_, i) => personBatches('log', i))
    // Phase 1 waits for the processors (read-your-writes), phase 2 only for the log.
    const first = await Promise.all(
      people.flatMap((p) => [
        post(a, p.phase1[0], '?wait=processed'),
        post(b, p.phase1[1], '?wait=processed'),
      ]),
    )
    expect(first.map((r) => r.status)).toEqual(first.map(() => 200))
    expect(first.every((r) => r.body.processed === true)).toBe(true)
    // The same messageId (`shared`) went to both collectors: one of the two copies is a duplicate.
    const duplicates = first.reduce((n, r) => n + (r.body.duplicates as number), 0)
    expect(duplicates).toBe(PERSONS)

    const second = await Promise.all(
      people.flatMap((p) => [post(a, p.phase2[0]), post(b, p.phase2[1])]),
    )
    expect(second.map((r) => r.status)).toEqual(second.map(() => 200))
    const total = PERSONS * people[0]!.events.length
    expect(await storedEvents(total)).toBe(total)

    const list = await read<{ contacts: unknown[] }>(
      b,
      db.workspace.secretKey,
      '/v1/contacts?limit=1000',
    )
    expect(list.contacts).toHaveLength(PERSONS)
    const scorer = createScorer(RULES)
    for (const person of people) {
      const c = await read(a, db.workspace.secretKey, `/v1/contacts/lookup?anonymousId=${person.A}`)
      expect(sortIds(c.identities)).toEqual(sortIds(person.identities))
      const expected = scorer.score(scorer.replay(person.events), c.traits, Date.now())
      expect(c.score).toMatchObject({ total: expected.total, grade: expected.grade })
      expect(expected.total).toBe(20 + 10 + 30 + 30)
    }
    const [counts] = await db.store.sql`select
      (select count(*)::int from events where workspace_id = ${db.workspace.id}) as events,
      (select count(distinct message_id)::int from events
        where workspace_id = ${db.workspace.id}) as messages,
      (select count(*)::int from contacts where workspace_id = ${db.workspace.id}
        and merged_into is null) as live`
    expect(counts).toEqual({ events: total, messages: total, live: PERSONS })
  }, 180_000)

  it('killing the stream leader and a processor mid-load loses nothing and stores nothing twice', async () => {
    const [before] = await db.store.sql`select count(*)::int as n from events
      where workspace_id = ${db.workspace.id}`
    const nc = await connect({ servers: nats.url.split(',') })
    const jsm = await jetstreamManager(nc)
    const leader = (await jsm.streams.info('LODESTONE_EVENTS')).cluster?.leader
    await nc.close()
    const leaderNode = nats.nodes.find((n) => n.name === leader)
    expect(leaderNode).toBeDefined()

    const acked = new Set<string>()
    const failed: number[] = []
    let seq = 0
    let running = true
    const worker = async (w: number) => {
      while (running) {
        const n = ++seq
        const batch: Event[] = Array.from({ length: 5 }, (_, i) => ({
          type: 'track',
          event: 'Demo Requested',
          anonymousId: `load-${n}-${i}`,
          timestamp: new Date().toISOString(),
          messageId: `load-${n}-${i}`,
        }))
        const r = await post(collectors[w % 2]!, batch).catch(() => ({ status: 0 }))
        if (r.status === 200) for (const e of batch) acked.add(e.messageId)
        else failed.push(r.status)
      }
    }
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))
    await new Promise((r) => setTimeout(r, 1500))
    processors[0]!.kill('SIGKILL') // mid-batch: its fetched, unacknowledged messages come back
    await new Promise((r) => setTimeout(r, 1000))
    leaderNode!.kill('SIGKILL')
    const atKill = acked.size
    await new Promise((r) => setTimeout(r, 6000))
    running = false
    await load
    // The load went on through the election (appends retry until a new leader answers).
    expect(atKill).toBeGreaterThan(50)
    expect(acked.size).toBeGreaterThan(atKill)
    const nc2 = await connect({
      servers: nats.nodes.filter((n) => n !== leaderNode).map((n) => n.url),
    })
    // The JetStream API itself may still be electing (a request then times out): ask until it
    // answers, for at most 30 s.
    let newLeader: string | undefined
    for (const until = Date.now() + 30_000; !newLeader && Date.now() < until;) {
      newLeader = await jetstreamManager(nc2)
        .then((jsm) => jsm.streams.info('LODESTONE_EVENTS'))
        .then((info) => info.cluster?.leader)
        .catch(() => undefined)
      if (!newLeader) await new Promise((r) => setTimeout(r, 500))
    }
    await nc2.close()
    expect(newLeader).toBeDefined()
    expect(newLeader).not.toBe(leader)

    const stored = await storedEvents((before!.n as number) + acked.size)
    const rows = await db.store.sql`select e.message_id, c.score_engagement as engagement
      from events e join contacts c on c.id = e.contact_id
      where e.workspace_id = ${db.workspace.id} and e.message_id like 'load-%'`
    const ids = new Set(rows.map((r) => r.message_id as string))
    // Every event answered 200 is stored; nothing is stored twice (a second copy would also
    // have scored the contact twice: one demo request is 30 points).
    for (const id of acked) expect(ids.has(id), id).toBe(true)
    expect(rows.length).toBe(ids.size)
    expect(rows.filter((r) => r.engagement !== 30)).toEqual([])
    const [dupContacts] = await db.store.sql`select count(*)::int as n from identities
      where workspace_id = ${db.workspace.id} and kind = 'anonymousId' and value like 'load-%'`
    expect(dupContacts!.n).toBe(ids.size)
    expect(stored).toBe((before!.n as number) + ids.size)
  }, 180_000)
})
