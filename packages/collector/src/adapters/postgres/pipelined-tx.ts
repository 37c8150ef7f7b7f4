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
   * Waits for every statement started so far and rejects with the first failure (the
   * transaction is then rolled back); COMMIT follows when the body returns. Idempotent.
   */
  commit(): Promise<void>
}

/**
 * A transaction whose body need not wait for each write: statements handed to `defer` run in the
 * order sent and are checked only before COMMIT, so a batch's writes cost one round trip
 * together instead of one each. On a busy machine each round trip waits for two processes to be
 * scheduled, so the ingest transaction's duration is mostly its count of round trips
 * (docs/benchmarks.md). BEGIN, COMMIT/ROLLBACK and the connection stay postgres.js's own
 * (`sql.begin`): a version that sent them itself on a reserved connection kept connections after
 * PostgreSQL crashed mid-transaction.
 *
 * The body may return without calling `commit()`; the deferred statements are then checked after
 * it. If the body throws, the transaction is rolled back and the first failed statement's error
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
