import { afterAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { inject } from 'vitest'
import { createScorer, DEFAULT_RULES } from '@lodestone/scoring'
import { createAudienceStore } from '../adapters/postgres/segments-store.js'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores, type TestStore } from '../test-support/stores.js'

// The stale-defaults sweep (docs/accounts.md, "When the rules change") keeps a marker per
// workspace in the database: once a sweep has finished for today's defaults, no process and no
// Workers cron run reads the workspace's contacts again until the defaults change.

const stores = closingStores()
const pools: postgres.Sql[] = []
afterAll(async () => {
  for (const p of pools) await p.end()
})

const NOW = new Date('2026-11-02T10:00:00Z')
const TODAY = createScorer(DEFAULT_RULES).fingerprint
const TITLES = ['CEO', '首席执行官', 'Product Manager', 'Engineer', '总监']

async function seed(store: TestStore, contacts: number) {
  const t = await createTestApp(store, () => NOW)
  for (let from = 0; from < contacts; from += 100) {
    const batch = Array.from({ length: Math.min(100, contacts - from) }, (_, k) => ({
      type: 'identify',
      userId: `u${from + k}`,
      messageId: `i${from + k}`,
      timestamp: NOW.toISOString(),
      traits: { title: TITLES[(from + k) % TITLES.length] },
    }))
    const res = await t.post('/v1/batch', { batch })
    expect(res.status).toBe(200)
  }
  return t
}

/**
 * Contacts as a release with other default rules left them: fingerprinted with the older
 * defaults and with a total today's defaults do not give, so each rescore reports a change.
 * Not due for the time sweep, which would rescore them for its own reasons.
 */
async function scoreUnderOlderDefaults(store: TestStore, where = store.sql`true`) {
  await store.sql`update contacts set score_rules = 'older-defaults',
    score_total = score_total + 3, due_at = null where ${where}`
}

const olderCount = async (store: TestStore) =>
  (
    await store.sql`select count(*)::int as n from contacts
      where score_rules = 'older-defaults'`
  )[0]!.n as number

const marker = async (store: TestStore, workspaceId: string) =>
  (
    await store.sql`select fingerprint, finished_at from defaults_sweeps
      where workspace_id = ${workspaceId}`
  )[0]

describe.each(BACKENDS)('stale-defaults sweep marker (%s)', (backend) => {
  it('sweeps once per defaults change, whichever process or cron run asks', async () => {
    const store = await stores.open(backend)
    const t = await seed(store, 12)
    await scoreUnderOlderDefaults(store)

    const first = await t.segments.runDue(NOW)
    expect(first.flatMap((s) => s.changes.map((c) => c.contactId)).length).toBe(12)
    expect(await olderCount(store)).toBe(0)
    expect(await marker(store, t.ws.id)).toEqual({ fingerprint: TODAY, finished_at: NOW })

    // A contact on older defaults now is one no sweep looks for: a fresh audience store (as a
    // new Workers cron run or a restarted process) reads the marker, not the contacts, and
    // leaves it alone; so does the same store on its next pass.
    const [one] = await store.sql`select id from contacts order by id limit 1`
    await scoreUnderOlderDefaults(store, store.sql`id = ${one!.id as string}`)
    for (const run of [createAudienceStore(store.sql), createAudienceStore(store.sql), t.segments])
      expect(await run.runDue(new Date(NOW.getTime() + 60_000))).toEqual([])
    expect(await olderCount(store)).toBe(1)

    // The defaults change (the stored marker names other defaults than this release's): the
    // next pass sweeps again, and stores today's.
    await store.sql`update defaults_sweeps set fingerprint = 'older-defaults'`
    const later = new Date(NOW.getTime() + 120_000)
    const again = await createAudienceStore(store.sql).runDue(later)
    expect(again.flatMap((s) => s.changes.map((c) => c.contactId))).toEqual([one!.id])
    expect(await olderCount(store)).toBe(0)
    expect(await marker(store, t.ws.id)).toEqual({ fingerprint: TODAY, finished_at: later })
  }, 120_000)

  it('leaves a workspace with saved rules to its own rescore', async () => {
    const store = await stores.open(backend)
    const t = await seed(store, 3)
    // Saved rules, even the defaults themselves: saving rescored, and no release changes them.
    expect((await t.put('/v1/scoring/rules', DEFAULT_RULES)).status).toBe(200)
    await scoreUnderOlderDefaults(store)
    expect(await t.segments.runDue(NOW)).toEqual([])
    expect(await olderCount(store)).toBe(3)
    expect(await marker(store, t.ws.id)).toBeUndefined()
  }, 120_000)
})

/** A connection pool of its own on the store's database, as another collector process has. */
async function otherProcess(store: TestStore, statements: string[] = []) {
  const [row] = await store.sql`select current_database() as db`
  const url = new URL(inject('pgUrl'))
  url.pathname = `/${row!.db as string}`
  const sql = postgres(url.toString(), {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query) => statements.push(query),
  })
  pools.push(sql)
  return sql
}

describe('stale-defaults sweep with two collector processes (postgres)', () => {
  it('skips a workspace while another process holds its marker (the lease)', async () => {
    const store = await stores.open('postgres')
    const t = await seed(store, 5)
    await scoreUnderOlderDefaults(store)
    await store.sql`insert into defaults_sweeps (workspace_id) values (${t.ws.id})`
    const other = createAudienceStore(await otherProcess(store))

    // Process A is sweeping the workspace: its transaction holds the marker row.
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let locked!: () => void
    const isLocked = new Promise<void>((r) => (locked = r))
    const holder = store.sql.begin(async (tx) => {
      await tx`select 1 from defaults_sweeps where workspace_id = ${t.ws.id} for update`
      locked()
      await released
    })
    await isLocked
    // Process B neither waits for it nor touches the workspace's contacts.
    expect(await other.runDue(NOW)).toEqual([])
    expect(await olderCount(store)).toBe(5)
    release()
    await holder
    // Once A's transaction is over (here it rescored nothing), B takes the workspace.
    const swept = await other.runDue(NOW)
    expect(swept.flatMap((s) => s.changes)).toHaveLength(5)
    expect(await olderCount(store)).toBe(0)
    expect(await marker(store, t.ws.id)).toEqual({ fingerprint: TODAY, finished_at: NOW })
  }, 120_000)

  it('rescores every stale contact exactly once and finishes once', async () => {
    const store = await stores.open('postgres')
    const t = await seed(store, 1_200)
    await scoreUnderOlderDefaults(store)
    // Two processes: each its own connection pool and audience store, on the same database;
    // every statement they send is kept.
    const statements: string[] = []
    const sqls = [await otherProcess(store, statements), await otherProcess(store, statements)]
    const processes = sqls.map((sql) => createAudienceStore(sql))
    // The statements that look for contacts on other rules (the due sweep reads due_at only).
    const staleScans = () => statements.filter((q) => /from contacts[\s\S]*score_rules/.test(q))

    const rescored: string[] = []
    let passes = 0
    for (let quiet = 0; quiet < 2 && passes < 20; passes++) {
      const results = await Promise.all(processes.map((p) => p.runDue(NOW)))
      const ids = results.flat().flatMap((s) => s.changes.map((c) => c.contactId))
      rescored.push(...ids)
      quiet = ids.length === 0 ? quiet + 1 : 0
    }
    expect(rescored.length).toBe(1_200)
    expect(new Set(rescored).size).toBe(1_200)
    expect(await olderCount(store)).toBe(0)
    expect(await marker(store, t.ws.id)).toEqual({ fingerprint: TODAY, finished_at: NOW })
    // 1,200 contacts at up to 500 a pass: three batches, shared by the two processes, then done.
    expect(passes).toBeLessThanOrEqual(5)
    expect(staleScans().length).toBeGreaterThan(0)

    // Finished: later passes, by both processes and by fresh stores on their pools (a restart,
    // a Workers cron run), send no statement that reads contacts for this sweep.
    statements.length = 0
    for (const p of [...processes, ...sqls.map((sql) => createAudienceStore(sql))])
      expect(await p.runDue(NOW)).toEqual([])
    expect(statements.length).toBeGreaterThan(0)
    expect(staleScans()).toEqual([])
  }, 180_000)
})
