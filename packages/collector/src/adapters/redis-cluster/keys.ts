/**
 * Where a hot-state key lives on Redis Cluster. Redis hashes only the part of a key between the
 * first `{` and the next `}` (its hash tag), so every key of one workspace is prefixed with
 * `{ws:<id>}`: one workspace's counters and live feed share one slot (one node, and any
 * multi-key command or transaction on them stays legal), while different workspaces spread
 * over the slots. The key shapes are those the collector writes (hot-state/README.md):
 *
 * | key (port)                | key (cluster)                          | written by                      |
 * | ------------------------- | -------------------------------------- | ------------------------------- |
 * | `rl:ws:<workspace>:<n>`   | `{ws:<workspace>}:rl:ws:<workspace>:<n>` | middleware/ingest-limits.ts   |
 * | `live:<workspace>`        | `{ws:<workspace>}:live:<workspace>`    | live/feed.ts                    |
 * | `rl:ip:<address>:<n>`     | `{ip:<address>}:rl:ip:<address>:<n>`   | middleware/ingest-limits.ts     |
 * | anything else             | unchanged (Redis hashes the whole key) |                                 |
 *
 * The original key stays whole after the tag, so a key in Redis still reads as what wrote it.
 *
 * @example
 * clusterKey('rl:ws:ws_1:170000') // '{ws:ws_1}:rl:ws:ws_1:170000'
 * clusterKey('live:ws_1') // '{ws:ws_1}:live:ws_1'
 */
export function clusterKey(key: string): string {
  const tag = hashTag(key)
  return tag === null ? key : `{${tag}}:${key}`
}

/** The tag a key is placed by (`ws:<id>`, `ip:<address>`), or null for an untagged key. */
export function hashTag(key: string): string | null {
  if (key.startsWith('live:') && key.length > 5) return `ws:${key.slice(5)}`
  for (const kind of ['ws', 'ip'] as const) {
    const prefix = `rl:${kind}:`
    if (!key.startsWith(prefix)) continue
    // The window index is the last segment; an IPv6 address has colons of its own.
    const end = key.lastIndexOf(':')
    if (end > prefix.length) return `${kind}:${key.slice(prefix.length, end)}`
  }
  return null
}
