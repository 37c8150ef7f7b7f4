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
  const pending: Promise<unknown>[] = []
  const defer = (statement: Promise<unknown>) => {
    statement.catch(() => {}) // handled here: it is settled and reported by commit()
    pending.push(statement)
  }
  const firstFailure = async () =>
    (await Promise.allSettled(pending)).find((s) => s.status === 'rejected')
  try {
    // postgres.js's own transaction: BEGIN, COMMIT or ROLLBACK and the connection's release stay
    // its business, so a connection lost mid-transaction (the database crashed) rejects and frees
    // the connection instead of holding it (test/reliability/fault-postgres.test.ts).
    return (await sql.begin(async (conn) => {
      let committed: Promise<void> | null = null
      const commit = () =>
        (committed ??= (async () => {
          // Statements the body started are handed to the connection a few microtasks later
          // when they were started by `await` or Promise.all rather than `.execute()`
          // (postgres.js queries are lazy thenables): let the microtask queue drain first.
          await new Promise((resolve) => setImmediate(resolve))
          const failed = await firstFailure()
          if (failed) throw (failed as PromiseRejectedResult).reason
        })())
      const result = await body({ sql: conn as unknown as ReservedSql, defer, commit })
      await commit()
      return result
    })) as T
  } catch (err) {
    const failed = await firstFailure()
    const aborted = (err as { code?: string })?.code === '25P02'
    throw aborted && failed ? (failed as PromiseRejectedResult).reason : err
  }
}
