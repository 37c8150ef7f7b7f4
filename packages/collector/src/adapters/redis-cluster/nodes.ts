// Pure (no ioredis), so entry/env.ts can check REDIS_CLUSTER_NODES on every runtime.

/** `host:port` → a seed node; IPv6 hosts in brackets (`[::1]:7000`). */
export function parseNode(node: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(node.trim())
  const port = m ? Number(m[3]) : NaN
  if (!m || !(port > 0 && port < 65_536)) {
    throw new RangeError(`Redis Cluster node must be host:port, got ${JSON.stringify(node)}`)
  }
  return { host: m[1] ?? m[2]!, port }
}

/**
 * `REDIS_CLUSTER_NODES`: seed nodes separated by commas, e.g. `10.0.0.1:7000,10.0.0.2:7000`.
 * Returns them trimmed, or null when any is not `host:port` or none is given.
 */
export function parseNodeList(value: string): string[] | null {
  const nodes = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
  if (nodes.length === 0) return null
  for (const node of nodes) {
    try {
      parseNode(node)
    } catch {
      return null
    }
  }
  return nodes
}
