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
  /** Every mapping this process knows, once its copy has caught up with the bucket. */
  entries(): Promise<ReadonlyMap<string, string>>
  close(): Promise<void>
}
