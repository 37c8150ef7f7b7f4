// Pure (no postgres.js, no NATS), so entry/env.ts can check LODESTONE_SHARDS on every runtime.

/** One PostgreSQL database holding a share of the workspaces (docs/scaling.md, "Sharding"). */
export interface ShardConfig {
  /** Stable name, stored in the workspace → shard map: renaming a shard orphans its workspaces. */
  name: string
  /** A PostgreSQL URL, as DATABASE_URL takes it. */
  url: string
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/

/**
 * `LODESTONE_SHARDS`: `name=postgres://…` pairs separated by commas, e.g.
 * `eu1=postgres://db1/lodestone,eu2=postgres://db2/lodestone`. Returns the shards in the order
 * given, or the problem (without the URLs, which may carry passwords).
 *
 * @example
 * parseShardList('a=postgres://h1/db,b=postgres://h2/db') // [{ name: 'a', url: … }, …]
 */
export function parseShardList(value: string): ShardConfig[] | { problem: string } {
  // A comma starts a new shard only before `name=` (a multi-host URL keeps its own commas).
  const parts = value
    .split(/,(?=\s*[a-z0-9][a-z0-9_-]*=)/i)
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) return { problem: 'no shard given' }
  const shards: ShardConfig[] = []
  for (const [i, part] of parts.entries()) {
    const eq = part.indexOf('=')
    const name = eq > 0 ? part.slice(0, eq).trim() : ''
    const url = eq > 0 ? part.slice(eq + 1).trim() : ''
    if (!NAME.test(name)) {
      return {
        problem: `shard ${i + 1} needs a name of 1 to 32 lower-case letters, digits, - or _ before "="`,
      }
    }
    if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
      return { problem: `shard "${name}" needs a postgres:// URL after "="` }
    }
    if (shards.some((s) => s.name === name)) return { problem: `shard "${name}" is named twice` }
    if (shards.some((s) => s.url === url)) {
      return { problem: `shard "${name}" has the same URL as another shard` }
    }
    shards.push({ name, url })
  }
  return shards
}
