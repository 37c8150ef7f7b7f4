import type { ReservedSql, Sql } from 'postgres'

/** What the body of a pipelined transaction gets. */
export interface PipelinedTx {
  /** The transaction's connection: statements run in the order they are sent. */
  sql: ReservedSql
  /**
   * Takes a statement already sent (`.execute()`) whose result the body does not wait for: it
   * runs before anything sent later, and a failure fails the transaction at the latest at commit.
   */
  defer(statement: Promise<unknown>): void
  /**
   * Sends COMMIT behind every statement started so far and resolves once the transaction
   * committed (after a failed statement PostgreSQL rolls back instead, and this rejects with
   * that statement's error). Idempotent.
   */
  commit(): Promise<void>
}

/**
 * A transaction on one reserved connection that costs one round trip less at each end than
 * `sql.begin()`: BEGIN goes out together with the body's first statements instead of being
 * awaited on its own, and the body's last writes go out together with COMMIT (`defer` them,
 * then `commit()`). On a busy machine each round trip waits for two processes to be scheduled,
 * so the ingest transaction's duration is mostly its count of round trips (docs/benchmarks.md).
 *
 * The body may return without calling `commit()`; the transaction is then committed after it.
 * If the body throws, the transaction is rolled back and the first failed statement's error
 * (rather than the "transaction is aborted" of the statements after it) is rethrown.
 */
export async function pipelinedTransaction<T>(
  sql: Sql,
  body: (tx: PipelinedTx) => Promise<T>,
): Promise<T> {
  const conn = await sql.reserve()
  const pending: Promise<unknown>[] = []
  const defer = (statement: Promise<unknown>) => {
    statement.catch(() => {}) // handled here: it is settled and reported by commit()
    pending.push(statement)
  }
  const firstFailure = async () =>
    (await Promise.allSettled(pending)).find((s) => s.status === 'rejected')
  let committed: Promise<void> | null = null
  const commit = () =>
    (committed ??= (async () => {
      // Statements the body started are handed to the connection a few microtasks later when
      // they were started by `await` or Promise.all rather than `.execute()` (postgres.js
      // queries are lazy thenables): let the microtask queue drain so COMMIT goes out last.
      await new Promise((resolve) => setImmediate(resolve))
      const done = conn`commit`.execute()
      defer(done)
      const failed = await firstFailure()
      if (failed) throw (failed as PromiseRejectedResult).reason
      // A COMMIT after a failed statement answers ROLLBACK without an error.
      if ((await done).command !== 'COMMIT') throw new Error('the transaction was rolled back')
    })())
  try {
    defer(conn`begin`.execute())
    const result = await body({ sql: conn, defer, commit })
    await commit()
    return result
  } catch (err) {
    const failed = await firstFailure()
    // Once COMMIT was sent the transaction is over either way (committed or rolled back).
    if (!committed) await conn`rollback`.execute().catch(() => {})
    const aborted = (err as { code?: string })?.code === '25P02'
    throw aborted && failed ? (failed as PromiseRejectedResult).reason : err
  } finally {
    conn.release()
  }
}
