import type { Sql } from 'postgres'
import { MIGRATIONS } from './migrations/index.js'

// Any fixed 64-bit number: serialises concurrent `migrate` calls from several processes.
const MIGRATION_LOCK = 7_206_113_017

/** Applies pending migrations; returns the versions applied by this call. */
export async function migrate(sql: Sql): Promise<string[]> {
  const applied: string[] = []
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`
    await tx`create table if not exists schema_migrations (
      version text primary key, applied_at timestamptz not null default now())`
    const done = new Set(
      (await tx`select version from schema_migrations`).map((r) => r.version as string),
    )
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue
      await tx.unsafe(m.up)
      await tx`insert into schema_migrations (version) values (${m.version})`
      applied.push(m.version)
    }
  })
  return applied
}
