// Where a new workspace goes (docs/scaling.md, "Sharding"). Pure, so it is tested on its own.

/**
 * The least loaded shard: the lowest load; on a tie, the first in the order configured.
 *
 * @example
 * leastLoaded(['a', 'b'], new Map([['a', 3], ['b', 2]])) // 'b'
 */
export function leastLoaded(shards: readonly string[], load: ReadonlyMap<string, number>): string {
  if (shards.length === 0) throw new Error('no shard to place a workspace on')
  let best = shards[0]!
  for (const s of shards) if ((load.get(s) ?? 0) < (load.get(best) ?? 0)) best = s
  return best
}

/** Workspaces per shard from the map's entries (workspace → shard name). */
export function loadOf(map: ReadonlyMap<string, string>): Map<string, number> {
  const load = new Map<string, number>()
  for (const shard of map.values()) load.set(shard, (load.get(shard) ?? 0) + 1)
  return load
}

/**
 * Each shard's load from what it stores: its rows (events and contacts, from PostgreSQL's
 * statistics) plus each of its workspaces counted as an average one (all rows over all
 * workspaces), since a workspace will most likely grow like the others. A shard holding one big
 * customer weighs what it stores; of two shards storing alike, the one with more workspaces is
 * the heavier. With no rows anywhere this is the workspace count. A shard storing nothing at all
 * is the lightest whatever its count (its workspaces have sent nothing yet), so workspaces
 * created in a burst before any of them stores anything all go there. A shard whose rows could
 * not be read (`Infinity`) gets nothing new.
 *
 * @example
 * // one big workspace on a, two new ones on b: b is the lighter (0 + 2 × 70 < 210 + 70)
 * expectedLoad(['a', 'b'], new Map([['a', 1], ['b', 2]]), new Map([['a', 210], ['b', 0]]))
 * // Map { 'a' => 280, 'b' => 140 }
 */
export function expectedLoad(
  shards: readonly string[],
  workspaces: ReadonlyMap<string, number>,
  rows: ReadonlyMap<string, number>,
): Map<string, number> {
  let allRows = 0
  let allWorkspaces = 0
  for (const s of shards) {
    const r = rows.get(s) ?? 0
    if (Number.isFinite(r)) allRows += r
    allWorkspaces += workspaces.get(s) ?? 0
  }
  const perWorkspace = allWorkspaces > 0 && allRows > 0 ? allRows / allWorkspaces : 1
  return new Map(
    shards.map((s) => [s, (rows.get(s) ?? 0) + (workspaces.get(s) ?? 0) * perWorkspace]),
  )
}
