// Which rows make up a workspace, from the database's own catalog (docs/scaling.md, "Moving a
// workspace"). Pure: the catalog is read by adapters/sharded/move.ts, the plan is made here.

/** A table as the catalog describes it. */
export interface CatalogTable {
  name: string
  /** Columns in order, generated ones left out (they are computed again on insert). */
  columns: string[]
  /** Columns filled from a sequence (bigserial), with the sequence's name. */
  serial: { column: string; sequence: string; unique: boolean }[]
}

/** A foreign key: `child(columns)` references `parent(refColumns)`. */
export interface CatalogForeignKey {
  child: string
  columns: string[]
  parent: string
  refColumns: string[]
  deferrable: boolean
}

/** One table's share of a workspace and how to select it. */
export interface TablePlan extends CatalogTable {
  /** A SQL condition on the table (unqualified columns) selecting the workspace's rows. */
  filter: string
  /** Its foreign keys to planned tables (a renumbered id is followed through them). */
  references: Omit<CatalogForeignKey, 'child'>[]
}

export interface MovePlan {
  /** Parents before children (foreign keys that are not deferrable), so inserts can follow it. */
  tables: TablePlan[]
  /** Tables holding no row of any workspace (bookkeeping such as `schema_migrations`). */
  global: string[]
}

/** Tables that belong to the database, not to a workspace. */
export const GLOBAL_TABLES: readonly string[] = ['schema_migrations']

/** A SQL identifier, quoted. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

/** A SQL string literal (COPY takes no parameters). */
export function literal(value: string): string {
  if (value.includes('\u0000')) throw new Error('a workspace id cannot contain NUL')
  return `'${value.replace(/'/g, "''")}'`
}

/**
 * The plan: every table with a `workspace_id` column (and `workspaces` itself) is selected by
 * it; a table without one by a foreign key to a table already selected (e.g. `user_tokens`
 * through `users`). A table reachable neither way and not in GLOBAL_TABLES stops the move: a
 * table added by a later migration is then never silently left behind.
 *
 * @example
 * movePlan(tables, fks, 'ws_1').tables.map((t) => t.name) // ['workspaces', 'contacts', …]
 */
export function movePlan(
  tables: readonly CatalogTable[],
  fks: readonly CatalogForeignKey[],
  workspaceId: string,
): MovePlan {
  const ws = literal(workspaceId)
  const filters = new Map<string, string>()
  for (const t of tables) {
    if (t.name === 'workspaces') filters.set(t.name, `id = ${ws}`)
    else if (t.columns.includes('workspace_id')) filters.set(t.name, `workspace_id = ${ws}`)
  }
  // Tables reached only through a parent, as many hops as it takes.
  for (let added = true; added;) {
    added = false
    for (const t of tables) {
      if (filters.has(t.name) || GLOBAL_TABLES.includes(t.name)) continue
      const fk = fks.find((f) => f.child === t.name && f.parent !== t.name && filters.has(f.parent))
      if (!fk) continue
      const cols = fk.columns.map(ident).join(', ')
      const refs = fk.refColumns.map(ident).join(', ')
      filters.set(
        t.name,
        `(${cols}) in (select ${refs} from ${ident(fk.parent)} where ${filters.get(fk.parent)})`,
      )
      added = true
    }
  }
  const lost = tables.filter((t) => !filters.has(t.name) && !GLOBAL_TABLES.includes(t.name))
  if (lost.length > 0) {
    throw new Error(
      `cannot tell which rows of ${lost.map((t) => t.name).join(', ')} belong to a workspace ` +
        '(no workspace_id column and no foreign key to a table that has one)',
    )
  }
  const planned = tables.filter((t) => filters.has(t.name))
  const order = parentsFirst(
    planned.map((t) => t.name),
    fks.filter((f) => !f.deferrable && f.child !== f.parent),
  )
  const byName = new Map(planned.map((t) => [t.name, t]))
  return {
    tables: order.map((name) => ({
      ...byName.get(name)!,
      filter: filters.get(name)!,
      references: fks
        .filter((f) => f.child === name && filters.has(f.parent))
        .map(({ child: _, ...f }) => f),
    })),
    global: tables.filter((t) => !filters.has(t.name)).map((t) => t.name),
  }
}

/** Kahn's sort: each table after the tables it references; ties in name order. */
export function parentsFirst(
  names: readonly string[],
  fks: readonly Pick<CatalogForeignKey, 'child' | 'parent'>[],
): string[] {
  const inSet = new Set(names)
  const edges = fks.filter((f) => inSet.has(f.child) && inSet.has(f.parent))
  const waiting = new Map(names.map((n) => [n, new Set<string>()]))
  for (const f of edges) waiting.get(f.child)!.add(f.parent)
  const out: string[] = []
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, parents]) => parents.size === 0).map(([n]) => n)
    if (ready.length === 0) {
      throw new Error(`foreign keys form a cycle among ${[...waiting.keys()].join(', ')}`)
    }
    for (const n of ready.sort()) {
      out.push(n)
      waiting.delete(n)
      for (const parents of waiting.values()) parents.delete(n)
    }
  }
  return out
}
