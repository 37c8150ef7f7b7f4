import type { TestStore } from '../../packages/collector/src/test-support/stores.js'

type Sql = TestStore['sql']

/** Every base table in the `public` schema, with its column names. */
export async function tablesWithColumns(sql: Sql): Promise<Map<string, string[]>> {
  const rows = await sql`select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`
  const out = new Map<string, string[]>()
  for (const r of rows) {
    const cols = out.get(r.table_name) ?? []
    cols.push(r.column_name)
    out.set(r.table_name, cols)
  }
  return out
}

/**
 * Rows anywhere in the database whose text form contains one of `needles` (case-insensitive),
 * as `table: count`. Reads whole rows as text, so jsonb payloads and every column are covered.
 */
export async function rowsContaining(sql: Sql, needles: string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {}
  for (const table of (await tablesWithColumns(sql)).keys()) {
    for (const needle of needles) {
      const [row] = await sql`select count(*)::int as n from ${sql(table)} t
        where position(lower(${needle}) in lower(t::text)) > 0`
      if (row!.n > 0) found[`${table} ∋ ${needle}`] = row!.n
    }
  }
  return found
}
