import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../../test-support/stores.js'
import { pipelinedTransaction } from './pipelined-tx.js'

describe.each(BACKENDS)('pipelined transaction on %s', (backend) => {
  let store: TestStore
  beforeAll(async () => {
    store = await openTestStore(backend)
    await store.sql`create table pt (k text primary key, v bigint not null)`
  })
  afterAll(() => store.close())

  const rows = async (prefix: string) =>
    (await store.sql`select k, v::int as v from pt where k like ${prefix + '%'} order by k`).map(
      (r) => [r.k as string, r.v as number],
    )

  it('commits writes sent without waiting, including ones postgres.js sends a few microtasks late', async () => {
    await pipelinedTransaction(store.sql, async ({ sql, defer, commit }) => {
      defer(sql`insert into pt values ('a1', txid_current())`.execute())
      // Started through Promise.all: postgres.js sends these later than `.execute()`.
      const late = async () => {
        await Promise.all([
          sql`insert into pt values ('a2', txid_current())`,
          sql`insert into pt values ('a3', txid_current())`,
        ])
      }
      defer(late())
      await commit()
    })
    const stored = await rows('a')
    expect(stored.map(([k]) => k)).toEqual(['a1', 'a2', 'a3'])
    // One transaction: a statement sent after COMMIT would have run in a transaction of its own.
    expect(new Set(stored.map(([, v]) => v)).size).toBe(1)
  })

  it('a failed deferred write rolls everything back and is the error reported', async () => {
    await store.sql`insert into pt values ('b0', 0)`
    const run = pipelinedTransaction(store.sql, async ({ sql, defer, commit }) => {
      defer(sql`insert into pt values ('b1', 1)`.execute())
      defer(sql`insert into pt values ('b0', 9)`.execute()) // duplicate key
      defer(sql`insert into pt values ('b2', 2)`.execute())
      await commit()
    })
    await expect(run).rejects.toMatchObject({ code: '23505' })
    expect(await rows('b')).toEqual([['b0', 0]])
  })

  it('a deferred write that cannot be encoded never lets the others commit', async () => {
    const run = pipelinedTransaction(store.sql, async ({ sql, defer, commit }) => {
      defer(sql`insert into pt values ('f1', 1)`.execute())
      // postgres.js fails this one before sending it (JSON.stringify of a BigInt throws): the
      // server never sees an error, so only the client can keep COMMIT from going out.
      defer(sql`select ${sql.json({ n: 1n } as never)}::jsonb`.execute())
      defer(sql`insert into pt values ('f2', 2)`.execute())
      await commit()
    })
    await expect(run).rejects.toThrow(/BigInt/)
    expect(await rows('f')).toEqual([])
  })

  it('a read after a failed deferred write reports the write, not "transaction aborted"', async () => {
    await store.sql`insert into pt values ('c0', 0)`
    const run = pipelinedTransaction(store.sql, async ({ sql, defer }) => {
      defer(sql`insert into pt values ('c0', 1)`.execute())
      await sql`select 1`
    })
    await expect(run).rejects.toMatchObject({ code: '23505' })
  })

  it('a body that throws rolls back, and the connection is usable afterwards', async () => {
    const run = pipelinedTransaction(store.sql, async ({ sql, defer }) => {
      defer(sql`insert into pt values ('d1', 1)`.execute())
      await sql`select 1`
      throw new Error('planned')
    })
    await expect(run).rejects.toThrow('planned')
    expect(await rows('d')).toEqual([])
    // Every pooled connection must be out of any transaction again.
    const again = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        pipelinedTransaction(store.sql, async ({ sql, defer }) => {
          const [r] = await sql`select txid_current_if_assigned() is null as fresh`
          defer(sql`insert into pt values (${'e' + i}, ${i})`.execute())
          return r!.fresh as boolean
        }),
      ),
    )
    expect(again).toEqual([true, true, true, true, true])
    expect((await rows('e')).length).toBe(5)
  })
})
