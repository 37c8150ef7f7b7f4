// Where a new workspace goes (docs/scaling.md, "Sharding"). Pure, so it is tested on its own.

/**
 * The least loaded shard: the fewest workspaces in the map; on a tie, the first in the order
 * configured. Load is the number of workspaces mapped to a shard, which every process knows from
 * its copy of the map without asking any database. Stored events would weigh a big customer
 * more truly, but a new workspace has none yet, and counts kept per event would be one more
 * write per commit.
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
