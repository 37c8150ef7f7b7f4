// `lodestone shards move`: a workspace from one shard to another, online (docs/scaling.md,
// "Moving a workspace"). The states, each durable, so a re-run after a crash resumes:
//   announced  the bucket's `move.<ws>` key names source and target: routers hold calls
//   fenced     the source's workspace row has `moving_to` set: ingest refuses there
//   copied     the target holds every row (one transaction)
//   switched   the map names the target (KV update on the revision read at the start)
//   done       the source's rows deleted, the `move.<ws>` key removed
import type { Sql, TransactionSql } from 'postgres'

type Tx = Sql | TransactionSql
import type { ShardRouting } from './router.js'
import {
  ident,
  movePlan,
  type CatalogForeignKey,
  type CatalogTable,
  type MovePlan,
  type TablePlan,
} from '../../shards/move-plan.js'

export type MoveState = 'announced' | 'fenced' | 'copied' | 'switched' | 'done'

export interface MoveOptions {
  /** Print the plan and the rows each table would move; change nothing. */
  dryRun?: boolean
  /** Undo a move that has not switched yet: drop the target's copy, lift the fence. */
  abort?: boolean
  /**
   * How long to wait after announcing (and after switching) so every process's map watch has
   * seen it before the next step (default 1,500 ms).
   */
  graceMs?: number
  print?: (line: string) => void
  /** Tests: stop as a crash would right after reaching this state. */
  crashAfter?: Exclude<MoveState, 'done'>
}

export interface MoveReport {
  from: string
  to: string
  /** Rows copied (or, with dryRun, to copy) per table. */
  copied: Record<string, number>
  /** Rows deleted from the source per table. */
  deleted: Record<string, number>
  /** What this run did: the whole move, only the clean-up of an earlier one, nothing, … */
  outcome: 'moved' | 'resumed' | 'cleaned' | 'already' | 'dry-run' | 'aborted'
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The tables, columns, sequences and foreign keys of the shard's schema. */
export async function readCatalog(sql: Sql) {
  const tables = await sql`select c.relname as name,
      array_agg(a.attname::text order by a.attnum) as columns,
      coalesce(array_agg(a.attname::text order by a.attnum)
        filter (where pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null),
        '{}') as serial_columns,
      coalesce(array_agg(pg_get_serial_sequence(quote_ident(c.relname), a.attname) order by a.attnum)
        filter (where pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null),
        '{}') as sequences,
      coalesce(array_agg(exists (select 1 from pg_index i where i.indrelid = c.oid
          and i.indisunique and i.indnatts = 1 and i.indkey[0] = a.attnum) order by a.attnum)
        filter (where pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null),
        '{}') as serial_unique
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    where c.relkind in ('r', 'p') and not c.relispartition
    group by c.relname
    order by c.relname`
  const fks = await sql`select ch.relname as child, pa.relname as parent, con.condeferrable,
      (select array_agg(a.attname::text order by k.o) from unnest(con.conkey) with ordinality k(n, o)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as columns,
      (select array_agg(a.attname::text order by k.o) from unnest(con.confkey) with ordinality k(n, o)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as ref_columns
    from pg_constraint con
    join pg_class ch on ch.oid = con.conrelid
    join pg_class pa on pa.oid = con.confrelid
    join pg_namespace n on n.oid = con.connamespace and n.nspname = current_schema()
    where con.contype = 'f'
    order by 1, 2`
  return {
    tables: tables.map((t): CatalogTable => ({
      name: t.name as string,
      columns: t.columns as string[],
      serial: (t.serial_columns as string[]).map((column, i) => ({
        column,
        sequence: (t.sequences as string[])[i]!,
        unique: (t.serial_unique as boolean[])[i]!,
      })),
    })),
    fks: fks.map((f): CatalogForeignKey => ({
      child: f.child as string,
      parent: f.parent as string,
      columns: f.columns as string[],
      refColumns: f.ref_columns as string[],
      deferrable: f.condeferrable as boolean,
    })),
  }
}

/** The plan for a workspace, from the shard's catalog. */
export async function planFor(sql: Sql, workspaceId: string): Promise<MovePlan> {
  const { tables, fks } = await readCatalog(sql)
  return movePlan(tables, fks, workspaceId)
}

async function migrations(sql: Sql) {
  const rows = await sql`select version from schema_migrations order by version`
  return rows.map((r) => r.version as string).join(',')
}

async function holds(sql: Sql, workspaceId: string) {
  const [row] = await sql`select moving_to from workspaces where id = ${workspaceId}`
  return row ? { movingTo: row.moving_to as string | null } : null
}

/**
 * Deletes the workspace's rows; rows per table. A table with a foreign key to a planned table
 * is emptied by the cascade from the workspace row (audit entries may only go that way: they
 * are append-only); a key that does not cascade makes this fail, deleting nothing. A table
 * with no such key (`segment_members`, kept without one for ingest's sake: migration 0018) is
 * deleted from by its filter first.
 */
async function deleteRows(tx: Tx, plan: MovePlan) {
  const deleted: Record<string, number> = {}
  for (const t of plan.tables) {
    const [{ n }] = (await tx.unsafe(
      `select count(*)::int as n from ${ident(t.name)} where ${t.filter}`,
    )) as unknown as [{ n: number }]
    deleted[t.name] = n
  }
  for (const t of plan.tables) {
    if (t.name !== 'workspaces' && t.references.length === 0) {
      await tx.unsafe(`delete from ${ident(t.name)} where ${t.filter}`)
    }
  }
  const workspaces = plan.tables.find((t) => t.name === 'workspaces')!
  await tx.unsafe(`delete from workspaces where ${workspaces.filter}`)
  return deleted
}

/** Rows read from the source and written to the target per round trip. */
const CHUNK = 1000

/**
 * One table: read from the source (its snapshot) in chunks, each row as its JSON text (never
 * parsed here, so bigint and numeric values keep every digit), into a temporary table on the
 * target, then inserted in order. A bigserial value another workspace already uses on the
 * target is given a new one from the target's sequence (nothing references these ids by
 * foreign key); the sequence is first set past every copied value, so later inserts never
 * collide.
 */
async function copyTable(
  src: Tx,
  dst: Tx,
  t: TablePlan,
  n: number,
  renumbered: Map<string, string>,
) {
  const stage = `lodestone_move_${n}`
  const cols = t.columns.map(ident).join(', ')
  await dst.unsafe(`create temp table ${stage} (like ${ident(t.name)}) on commit drop`)
  await src
    .unsafe(
      `select row_to_json(x)::text as j from (select ${cols} from ${ident(t.name)}
        where ${t.filter}) x`,
    )
    .cursor(CHUNK, async (rows) => {
      await dst.unsafe(
        `insert into ${stage} (${cols}) select ${cols}
          from unnest($1::text[]) j, json_populate_record(null::${stage}, j::json)`,
        [rows.map((r) => r.j as string)],
      )
    })
  for (const s of t.serial) {
    // Past every copied value, and for a unique column past every value already there (its
    // index answers max() at once); a column that is not unique keeps its values.
    const existing = s.unique
      ? `, (select coalesce(max(${ident(s.column)}), 0) from ${ident(t.name)})`
      : ''
    await dst.unsafe(
      `select setval($1::regclass, greatest(coalesce(pg_sequence_last_value($1::regclass), 1),
        (select coalesce(max(${ident(s.column)}), 0) from ${stage})${existing}))`,
      [s.sequence],
    )
    if (!s.unique) continue
    // Values another workspace holds here get new ones; the old → new pairs are kept for the
    // tables referencing this column, copied after it (parents first).
    const map = `${stage}_${renumbered.size}`
    await dst.unsafe(`create temp table ${map} on commit drop as
      select s.${ident(s.column)} as old, nextval(${literalRegclass(s.sequence)}) as new
      from ${stage} s where exists (select 1 from ${ident(t.name)} x
        where x.${ident(s.column)} = s.${ident(s.column)})`)
    await dst.unsafe(`update ${stage} s set ${ident(s.column)} = m.new from ${map} m
      where s.${ident(s.column)} = m.old`)
    renumbered.set(`${t.name}.${s.column}`, map)
  }
  for (const fk of t.references) {
    const maps = fk.refColumns.map((c) => renumbered.get(`${fk.parent}.${c}`))
    if (maps.every((m) => m === undefined)) continue
    if (fk.columns.length !== 1) {
      throw new Error(`${t.name} references renumbered ${fk.parent} ids by several columns`)
    }
    const col = ident(fk.columns[0]!)
    await dst.unsafe(
      `update ${stage} s set ${col} = m.new from ${maps[0]} m where s.${col} = m.old`,
    )
  }
  // The copy of the workspace row is no longer being moved.
  if (t.name === 'workspaces') await dst.unsafe(`update ${stage} set moving_to = null`)
  const order = t.serial.length > 0 ? ` order by ${ident(t.serial[0]!.column)}` : ''
  const r = await dst.unsafe(
    `insert into ${ident(t.name)} (${cols}) select ${cols} from ${stage}${order}`,
  )
  return r.count
}

const literalRegclass = (sequence: string) => `'${sequence.replace(/'/g, "''")}'::regclass`

/**
 * Moves (or resumes moving, or with `abort` undoes) a workspace to the shard named `to`.
 * Throws with a one-line reason when it cannot; a crash at any step leaves a state a re-run
 * finishes (see the states above).
 *
 * @example
 * await moveWorkspace(store.routing, 'ws_1', 'two', { print: console.log })
 */
export async function moveWorkspace(
  routing: ShardRouting,
  workspaceId: string,
  to: string,
  opts: MoveOptions = {},
): Promise<MoveReport> {
  const print = opts.print ?? (() => {})
  const grace = opts.graceMs ?? 1500
  const { map, shards } = routing
  const target = shards.find((s) => s.name === to)
  if (!target) throw new Error(`no shard named "${to}" (LODESTONE_SHARDS names the shards)`)
  const mapped = await map.entry(workspaceId)
  const intent = await map.intent(workspaceId)
  if (!mapped) throw new Error(`workspace ${workspaceId} is not in the shard map`)
  const source = shards.find((s) => s.name === mapped.shard)
  if (!source)
    throw new Error(`workspace ${workspaceId} is on shard "${mapped.shard}", not configured here`)
  const report: MoveReport = { from: source.name, to, copied: {}, deleted: {}, outcome: 'moved' }
  const crash = (state: MoveState) => {
    if (opts.crashAfter === state) throw new Error(`crash after ${state} (test)`)
  }

  if (intent && intent.to !== to) {
    throw new Error(
      `a move of ${workspaceId} to "${intent.to}" is under way: finish it (shards move ${workspaceId} ${intent.to}) or undo it (shards move ${workspaceId} ${intent.to} --abort)`,
    )
  }
  // Switched already: what is left is the clean-up of the shard it came from, whose row is
  // fenced for this move (never the shard the map names).
  if (mapped.shard === to) {
    const from =
      intent && intent.from !== to ? shards.find((s) => s.name === intent.from) : undefined
    if (opts.abort) {
      throw new Error(
        `the move to "${to}" has switched; move it back with shards move ${workspaceId} ${intent?.from ?? '<shard>'}`,
      )
    }
    if (!from || (await holds(from.store.sql, workspaceId))?.movingTo !== to) {
      if (intent && !opts.dryRun) await map.announce(workspaceId, null)
      print(`${workspaceId} is on ${to}`)
      return { ...report, from: to, outcome: 'already' }
    }
    report.from = from.name
    const plan = await planFor(from.store.sql, workspaceId)
    if (opts.dryRun) {
      print(`${workspaceId}: switched to ${to}; its rows on ${from.name} would be deleted`)
      return { ...report, outcome: 'dry-run' }
    }
    print(`${workspaceId}: switched to ${to} earlier; deleting its rows on ${from.name}`)
    report.deleted = await from.store.sql.begin((tx) => deleteRows(tx, plan))
    for (const [table, n] of Object.entries(report.deleted)) print(`  deleted ${table}: ${n}`)
    await map.announce(workspaceId, null)
    return { ...report, outcome: 'cleaned' }
  }

  const src = source.store.sql
  const dst = target.store.sql
  const row = await holds(src, workspaceId)
  if (!row) throw new Error(`shard ${source.name} has no workspace ${workspaceId}`)
  // The fence names the move's target even if its key was lost.
  if (row.movingTo && row.movingTo !== to) {
    throw new Error(
      `${workspaceId} is fenced for a move to "${row.movingTo}": finish it (shards move ${workspaceId} ${row.movingTo}) or undo it (shards move ${workspaceId} ${row.movingTo} --abort)`,
    )
  }
  if (opts.abort) {
    if (!intent && !row.movingTo) throw new Error(`no move of ${workspaceId} is under way`)
    const plan = await planFor(dst, workspaceId)
    if (!opts.dryRun) {
      const dropped = await dst.begin((tx) => deleteRows(tx, plan))
      await src`update workspaces set moving_to = null where id = ${workspaceId}`
      await map.announce(workspaceId, null)
      print(
        `${workspaceId}: move to ${to} undone (${dropped.workspaces ?? 0} copy removed); served by ${source.name}`,
      )
    }
    return { ...report, outcome: 'aborted' }
  }
  const [have, want] = await Promise.all([migrations(src), migrations(dst)])
  if (have !== want)
    throw new Error(`shards ${source.name} and ${to} differ in migrations: run lodestone migrate`)
  const plan = await planFor(src, workspaceId)

  if (opts.dryRun) {
    print(`${workspaceId}: ${source.name} → ${to} (dry run: nothing changes)`)
    for (const t of plan.tables) {
      const [{ n }] = (await src.unsafe(
        `select count(*)::int as n from ${ident(t.name)} where ${t.filter}`,
      )) as unknown as [{ n: number }]
      report.copied[t.name] = n
      print(`  ${t.name}: ${n}`)
    }
    return { ...report, outcome: 'dry-run' }
  }
  if (intent || row.movingTo) {
    report.outcome = 'resumed'
    print(`${workspaceId}: resuming the move ${source.name} → ${to}`)
  } else print(`${workspaceId}: ${source.name} → ${to}`)

  // 1. Announce: routers hold the workspace's calls from now on.
  await map.announce(workspaceId, { from: source.name, to, at: new Date().toISOString() })
  crash('announced')
  await sleep(grace)
  // 2. Fence: `for update` waits for every ingest transaction holding the row (they take `for key
  // share`), and each later one reads `moving_to` set once this commits, then refuses.
  await src.begin(async (tx) => {
    await tx`select 1 from workspaces where id = ${workspaceId} for update`
    await tx`update workspaces set moving_to = ${to} where id = ${workspaceId}`
  })
  print(`  fenced on ${source.name}`)
  crash('fenced')
  // 3. Copy, all or nothing: a copy left by an earlier run is replaced.
  const started = Date.now()
  await src.begin('isolation level repeatable read read only', (from) =>
    dst.begin(async (tx) => {
      await tx`set constraints all deferred`
      await deleteRows(tx, plan)
      const renumbered = new Map<string, string>()
      for (const [n, t] of plan.tables.entries()) {
        report.copied[t.name] = await copyTable(from, tx, t, n, renumbered)
        print(`  copied ${t.name}: ${report.copied[t.name]}`)
      }
    }),
  )
  print(`  copied in ${Date.now() - started} ms`)
  crash('copied')
  // 4. Switch the map, only if nobody changed it since it was read (compare-and-set).
  await map.switchTo(workspaceId, to, mapped.revision)
  print(`  switched: ${workspaceId} is served by ${to}`)
  crash('switched')
  // 5. Every watch has moved on (a lagging one is refused by the fence and reads the bucket);
  // then the source's rows go.
  await sleep(grace)
  report.deleted = await src.begin((tx) => deleteRows(tx, plan))
  print(
    `  deleted ${Object.values(report.deleted).reduce((a, b) => a + b, 0)} rows on ${source.name}`,
  )
  await map.announce(workspaceId, null)
  return report
}

/** `lodestone shards list`: each shard, its workspaces and their rows (events, contacts). */
export async function listShards(routing: ShardRouting) {
  const map = await routing.map.entries()
  return Promise.all(
    routing.shards.map(async (s) => {
      const rows = await s.store.sql`select w.id, w.name, w.moving_to,
          (select count(*)::int from events e where e.workspace_id = w.id) as events,
          (select count(*)::int from contacts c where c.workspace_id = w.id) as contacts
        from workspaces w order by w.created_at, w.id`
      return {
        shard: s.name,
        workspaces: rows.map((r) => ({
          id: r.id as string,
          name: r.name as string,
          events: r.events as number,
          contacts: r.contacts as number,
          /** False for a row the map places elsewhere: one half of a move under way. */
          served: map.get(r.id as string) === s.name,
          movingTo: r.moving_to as string | null,
        })),
      }
    }),
  )
}
