import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startNatsCluster, type NatsCluster } from '../../../../test/support/nats-cluster.js'
import { openStore } from '../adapters/open-store.js'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { trackEvent } from '../test-support/events.js'
import { createNatsEventLog, startProcessor, type ProcessorStore } from './nats.js'

// Log mode's redelivery (docs/scaling.md, "Log mode"): a message not acknowledged within the ack
// wait goes to a processor again, possibly while the first one is still committing it. Here every
// batch takes longer than the ack wait, so the two processors (each with its own connection pool
// on one PostgreSQL database) commit the same messages at about the same moment, over and over.
// Every event must end stored once and scored once, no batch may fail, and the redeliveries
// must actually have happened.

const VISITORS = 60
const EVENTS = 4 // per visitor
const ACK_WAIT_MS = 300

const event = (messageId: string, anonymousId: string, i: number) =>
  trackEvent(
    messageId,
    anonymousId,
    new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    'Demo Requested',
  )

describe('log mode: messages redelivered while another processor commits them (postgres)', () => {
  let nats: NatsCluster
  let store: TestStore
  let second: TestStore
  let ws: string
  beforeAll(async () => {
    nats = await startNatsCluster(1)
    store = await openTestStore('postgres')
    ws = (await store.createWorkspace({ name: 'Redelivery' })).id
    const [row] = await store.sql`select current_database() as db`
    const url = new URL(inject('pgUrl'))
    url.pathname = `/${row!.db as string}`
    second = { ...(await openStore({ databaseUrl: url.toString() })), embedded: false }
  }, 60_000)
  afterAll(async () => {
    await second?.close()
    await store?.close()
    await nats?.stop()
  })

  it('stores and scores each event once, with no failed batch', async () => {
    const cfg = { servers: nats.url, partitions: 4, ackWaitMs: ACK_WAIT_MS, stream: 'REDELIVERY' }
    const seen = { events: 0 }
    const failures: string[] = []
    // Slower than the ack wait: the message is redelivered before this processor commits it.
    const slow = (s: TestStore): ProcessorStore => ({
      async ingest(workspaceId, events) {
        seen.events += events.length
        await new Promise((r) => setTimeout(r, ACK_WAIT_MS * 1.5))
        return s.ingest(workspaceId, events)
      },
    })
    const log = (message: string) => failures.push(message)
    const processors = await Promise.all([
      startProcessor(cfg, { store: slow(store), log }),
      startProcessor(cfg, { store: slow(second), log }),
    ])
    const capture = await createNatsEventLog(cfg)
    const all = Array.from({ length: VISITORS }, (_, v) =>
      Array.from({ length: EVENTS }, (_, i) => event(`rd-${v}-${i}`, `rd-v${v}`, i)),
    )
    for (const batch of all) await capture.append(ws, batch)

    const total = VISITORS * EVENTS
    const count = async () => {
      const [r] = await store.sql`select count(*)::int as n from events where workspace_id = ${ws}`
      return r!.n as number
    }
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      if ((await count()) >= total && processors.every((p) => p.processed.events > 0)) break
      await new Promise((r) => setTimeout(r, 200))
    }
    // Let the last redeliveries arrive and commit as duplicates.
    await new Promise((r) => setTimeout(r, ACK_WAIT_MS * 4))
    await Promise.all(processors.map((p) => p.stop()))
    await capture.close()

    expect(failures).toEqual([])
    expect(seen.events).toBeGreaterThan(total) // redelivered copies reached the pipeline
    const rows = await store.sql`select e.message_id, c.score_engagement as engagement
      from events e join contacts c on c.id = e.contact_id where e.workspace_id = ${ws}`
    expect(rows).toHaveLength(total)
    expect(new Set(rows.map((r) => r.message_id as string)).size).toBe(total)
    // Scored once: the same visitor's events ingested once, directly, score the same.
    const control = await store.createWorkspace({ name: 'Control' })
    await store.ingest(
      control.id,
      all[0]!.map((e) => ({ ...e, anonymousId: 'control' })),
    )
    const [expected] = await store.sql`select score_engagement as engagement from contacts
      where workspace_id = ${control.id}`
    expect(expected!.engagement).toBeGreaterThan(0)
    expect(rows.filter((r) => r.engagement !== expected!.engagement)).toEqual([])
    const [ids] = await store.sql`select count(*)::int as identities,
      (select count(*)::int from contacts where workspace_id = ${ws}) as contacts
      from identities where workspace_id = ${ws}`
    expect(ids).toEqual({ identities: VISITORS, contacts: VISITORS })
    console.info(`redelivery: ${seen.events} events reached the pipeline for ${total} stored`)
  }, 120_000)
})
