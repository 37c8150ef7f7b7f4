/**
 * The workspace → shard map (docs/scaling.md, "Sharding"): which PostgreSQL database holds a
 * workspace. Kept in a replicated JetStream key-value bucket (adapters/sharded/kv-map.ts), cached in every
 * process and kept current by a watch.
 */
export interface ShardMap {
  /** The workspace's shard name, from this process's copy or the bucket; null when unmapped. */
  lookup(workspaceId: string): Promise<string | null>
  /**
   * Maps the workspace to `shard` unless it is mapped already: a create that succeeds only for
   * the first writer (compare-and-set), so racing processes agree. Returns the shard it is on.
   */
  assign(workspaceId: string, shard: string): Promise<string>
  /** The workspace's shard read from the bucket now (not this process's copy), as `lookup`. */
  refresh(workspaceId: string): Promise<string | null>
  /**
   * A move under way, as this process's watch last saw it (docs/scaling.md, "Moving a
   * workspace"); undefined when none.
   */
  moving(workspaceId: string): MoveIntent | undefined
  /** The mapping and its revision, read from the bucket (for a compare-and-set `switchTo`). */
  entry(workspaceId: string): Promise<{ shard: string; revision: number } | null>
  /**
   * Maps the workspace to `shard` only if its mapping is still at `revision` (compare-and-set);
   * throws when another process changed it meanwhile.
   */
  switchTo(workspaceId: string, shard: string, revision: number): Promise<void>
  /** Records (`intent`) or clears (`null`) a move under way; read from the bucket with `intent`. */
  announce(workspaceId: string, intent: MoveIntent | null): Promise<void>
  intent(workspaceId: string): Promise<MoveIntent | null>
  /** Every mapping this process knows, once its copy has caught up with the bucket. */
  entries(): Promise<ReadonlyMap<string, string>>
  close(): Promise<void>
}

/** A move of a workspace from one shard to another, recorded in the map's bucket while it runs. */
export interface MoveIntent {
  from: string
  to: string
  /** When the mover started (ISO 8601). */
  at: string
}
