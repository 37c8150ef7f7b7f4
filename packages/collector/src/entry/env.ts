/** The fixed environment names of SPEC §5, read in one place. */
export function readEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    port: env.PORT ? Number(env.PORT) : 8787,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.LODESTONE_DATA_DIR ?? '.lodestone',
    upstashUrl: env.UPSTASH_REDIS_REST_URL || undefined,
    upstashToken: env.UPSTASH_REDIS_REST_TOKEN || undefined,
    trustedProxyHeader: env.LODESTONE_TRUSTED_PROXY_HEADER || undefined,
    rateLimit: env.LODESTONE_RATE_LIMIT ? Number(env.LODESTONE_RATE_LIMIT) : undefined,
    /** Ingest transactions per workspace running at once in this process (group commit). */
    ingestTransactions: positive(env.LODESTONE_INGEST_TRANSACTIONS),
    /** Open connections per client address; `0` turns the cap off. */
    maxConnectionsPerIp:
      env.LODESTONE_MAX_CONNECTIONS_PER_IP === '0'
        ? 0
        : positive(env.LODESTONE_MAX_CONNECTIONS_PER_IP),
    anonymizeIp: env.LODESTONE_ANONYMIZE_IP === 'true' || env.LODESTONE_ANONYMIZE_IP === '1',
    webhookAllowPrivate:
      env.LODESTONE_WEBHOOK_ALLOW_PRIVATE === 'true' || env.LODESTONE_WEBHOOK_ALLOW_PRIVATE === '1',
    /** Hot state on a Redis Cluster: seed nodes, `host:port` comma-separated (ioredis). */
    redisClusterNodes: env.REDIS_CLUSTER_NODES
      ? env.REDIS_CLUSTER_NODES.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    /** Log mode: NATS servers (comma-separated); unset, nothing changes. */
    natsUrl: env.NATS_URL || undefined,
    /** Copies of the JetStream stream (default 1; 3 on a three-node cluster). */
    logReplicas: positive(env.LODESTONE_LOG_REPLICAS),
    /** Partitions of the stream (default 8), fixed when the stream is created. */
    logPartitions: positive(env.LODESTONE_LOG_PARTITIONS),
    /** A fetched log batch not acknowledged within this is redelivered (default 30,000 ms). */
    logAckWaitMs: positive(env.LODESTONE_LOG_ACK_WAIT_MS),
    /** Slow-client limits (ms): request headers, the whole request, idle keep-alive. */
    headersTimeoutMs: positive(env.LODESTONE_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: positive(env.LODESTONE_REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: positive(env.LODESTONE_KEEP_ALIVE_TIMEOUT_MS),
  }
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value)
  return value && Number.isFinite(n) && n > 0 ? n : undefined
}
