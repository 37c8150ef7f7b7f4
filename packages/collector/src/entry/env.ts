/**
 * The collector's environment variables (README.md, "Configuration"), read and checked in one
 * place for both runtimes: the Node CLI refuses to start and Workers answer `misconfigured`,
 * each naming the variable. A value that is set but wrong is never replaced by the default
 * without a word: `LODESTONE_RATE_LIMIT=abc` stopped Node with a RangeError that named nothing,
 * and Workers silently used the default.
 */
import { parseNodeList } from '../adapters/redis-cluster/nodes.js'
import { parseShardList, type ShardConfig } from '../shards/config.js'
import type { LiveStreamLimits } from '../live/subscriber.js'
import type { ReplayLimits } from '../live/ring.js'
import type { OidcConfig } from '../team/oidc.js'
import { ROLES, type Role } from '../team/port.js'

export type EnvSource = Readonly<Record<string, unknown>>

export type CollectorEnv = ReturnType<typeof readEnv>

/** Every problem found, one per variable, e.g. `LODESTONE_RATE_LIMIT must be … (got "abc")`. */
export class EnvError extends Error {
  override readonly name = 'EnvError'
  readonly code = 'invalid_env'

  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join('; ')}`)
  }
}

/**
 * Reads the environment; throws an `EnvError` listing every variable that is set to something
 * unusable. Unset or empty variables take their defaults.
 *
 * @example
 * const env = readEnv(process.env) // EnvError: invalid environment: PORT must be …
 */
export function readEnv(source: EnvSource = process.env) {
  const problems: string[] = []
  const r = reader(source, problems)
  const env = {
    port: r.integer('PORT', 0, 65_535, 'a port number from 0 to 65535') ?? 8787,
    host: r.text('HOST') ?? '127.0.0.1',
    databaseUrl: r.text('DATABASE_URL'),
    dataDir: r.text('LODESTONE_DATA_DIR') ?? '.lodestone',
    upstashUrl: r.url('UPSTASH_REDIS_REST_URL'),
    upstashToken: r.text('UPSTASH_REDIS_REST_TOKEN'),
    /** Redis Cluster seed nodes (`host:port,…`), Node only; exclusive with UPSTASH_*. */
    redisClusterNodes: r.nodeList('REDIS_CLUSTER_NODES'),
    trustedProxyHeader: r.headerName('LODESTONE_TRUSTED_PROXY_HEADER'),
    /** Events per second per workspace (default 60,000 in middleware/ingest-limits.ts). */
    rateLimit: r.number('LODESTONE_RATE_LIMIT', 'a positive number of events per second'),
    /** Ingest transactions per workspace running at once in this process (group commit). */
    ingestTransactions: r.integer('LODESTONE_INGEST_TRANSACTIONS', 1, 1000, 'a whole number ≥ 1'),
    /** Open connections per client address; `0` turns the cap off. */
    maxConnectionsPerIp: r.integer(
      'LODESTONE_MAX_CONNECTIONS_PER_IP',
      0,
      Number.MAX_SAFE_INTEGER,
      'a whole number ≥ 0 (0: no cap)',
    ),
    anonymizeIp: r.flag('LODESTONE_ANONYMIZE_IP'),
    webhookAllowPrivate: r.flag('LODESTONE_WEBHOOK_ALLOW_PRIVATE'),
    /** Log mode: NATS servers (comma-separated); unset, nothing changes (docs/scaling.md). */
    natsUrl: r.text('NATS_URL'),
    /** Copies of the JetStream stream (default 1; 3 on a three-node cluster). */
    logReplicas: r.integer('LODESTONE_LOG_REPLICAS', 1, 5, 'a whole number from 1 to 5'),
    /** Partitions of the stream (default 8), fixed when the stream is created. */
    logPartitions: r.integer('LODESTONE_LOG_PARTITIONS', 1, 1024, 'a whole number from 1 to 1024'),
    /** A fetched log batch not acknowledged within this is redelivered (default 30,000 ms). */
    logAckWaitMs: r.integer('LODESTONE_LOG_ACK_WAIT_MS', 1, 2 ** 31 - 1, MS),
    /** Sharding by workspace: `name=postgres://…,…`; the map lives in NATS (docs/scaling.md). */
    shards: r.shardList('LODESTONE_SHARDS'),
    /** How often time's changes (decay crossings, segment windows) are looked for (ms). */
    sweepIntervalMs: r.integer('LODESTONE_SWEEP_INTERVAL_MS', 1, 2 ** 31 - 1, MS),
    /** Slow-client limits (ms): request headers, the whole request, idle keep-alive. */
    headersTimeoutMs: r.integer('LODESTONE_HEADERS_TIMEOUT_MS', 1, 2 ** 31 - 1, MS),
    requestTimeoutMs: r.integer('LODESTONE_REQUEST_TIMEOUT_MS', 1, 2 ** 31 - 1, MS),
    keepAliveTimeoutMs: r.integer('LODESTONE_KEEP_ALIVE_TIMEOUT_MS', 1, 2 ** 31 - 1, MS),
    /** Keys session and CSRF tokens; unset: generated into the data directory (docs/team.md). */
    sessionSecret: r.text('LODESTONE_SESSION_SECRET'),
    /** Where people open the dashboard, for invite links (e.g. https://lodestone.example.com). */
    publicUrl: r.url('LODESTONE_PUBLIC_URL'),
    /** OpenID Connect sign-in when issuer, client id and secret and allowed domain are set. */
    oidc: oidcFromEnv(r, problems),
    /** The live streams' caps per subscriber and per workspace (docs/scoring.md). */
    liveStream: liveStreamFromEnv(r),
    /** What each watched workspace's live feed keeps for reconnections (docs/scoring.md). */
    liveReplay: liveReplayFromEnv(r),
  }
  if ((r.text('UPSTASH_REDIS_REST_URL') === undefined) !== (env.upstashToken === undefined)) {
    problems.push(
      'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN are set together or not at all',
    )
  }
  if (
    r.text('REDIS_CLUSTER_NODES') !== undefined &&
    r.text('UPSTASH_REDIS_REST_URL') !== undefined
  ) {
    problems.push(
      'REDIS_CLUSTER_NODES and UPSTASH_REDIS_REST_URL are exclusive: hot state lives in one Redis, set one of them',
    )
  }
  if (r.text('LODESTONE_SHARDS') !== undefined) {
    if (env.databaseUrl !== undefined) {
      problems.push(
        'LODESTONE_SHARDS and DATABASE_URL are exclusive: with shards, every database is named in LODESTONE_SHARDS',
      )
    }
    if (env.natsUrl === undefined) {
      problems.push('LODESTONE_SHARDS needs NATS_URL: the workspace → shard map lives in NATS')
    }
  }
  if (problems.length > 0) throw new EnvError(problems)
  return env
}

const MS = 'a whole number of milliseconds ≥ 1'

/** Only the keys that are set: a spread of `{ maxEntries: undefined }` would hide the default. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * The caps of live/subscriber.ts. The byte cap has a floor of 64 KiB: an events entry carries a
 * whole stored batch, and a queue smaller than one entry would drop every subscriber at once.
 */
function liveStreamFromEnv(r: ReturnType<typeof reader>): LiveStreamLimits {
  return defined({
    maxEntries: r.integer(
      'LODESTONE_LIVE_QUEUE_ENTRIES',
      1,
      1_000_000,
      'a whole number of entries from 1 to 1000000',
    ),
    maxBytes: r.integer(
      'LODESTONE_LIVE_QUEUE_BYTES',
      64 * 1024,
      1024 ** 3,
      'a whole number of bytes from 65536 (64 KiB) to 1073741824 (1 GiB)',
    ),
    dropGraceMs: r.integer(
      'LODESTONE_LIVE_DROP_GRACE_MS',
      1,
      600_000,
      'a whole number of milliseconds from 1 to 600000',
    ),
    maxSubscribers: r.integer(
      'LODESTONE_LIVE_MAX_STREAMS',
      1,
      100_000,
      'a whole number of streams from 1 to 100000',
    ),
  })
}

/** The replay buffer of live/ring.ts; 0 entries keeps none (every reconnection gets `reset`). */
function liveReplayFromEnv(r: ReturnType<typeof reader>): ReplayLimits {
  return defined({
    maxEntries: r.integer(
      'LODESTONE_LIVE_REPLAY_ENTRIES',
      0,
      100_000,
      'a whole number of entries from 0 (none kept) to 100000',
    ),
    maxBytes: r.integer(
      'LODESTONE_LIVE_REPLAY_BYTES',
      0,
      256 * 1024 ** 2,
      'a whole number of bytes from 0 to 268435456 (256 MiB)',
    ),
    idleMs: r.integer(
      'LODESTONE_LIVE_REPLAY_IDLE_MS',
      0,
      86_400_000,
      'a whole number of milliseconds from 0 (forgotten when the last stream closes) to 86400000 (a day)',
    ),
    maxIdleWorkspaces: r.integer(
      'LODESTONE_LIVE_REPLAY_WORKSPACES',
      0,
      100_000,
      'a whole number of workspaces from 0 to 100000',
    ),
  })
}

function oidcFromEnv(r: ReturnType<typeof reader>, problems: string[]): OidcConfig | undefined {
  const issuer = r.url('LODESTONE_OIDC_ISSUER')
  const clientId = r.text('LODESTONE_OIDC_CLIENT_ID')
  const clientSecret = r.text('LODESTONE_OIDC_CLIENT_SECRET')
  const allowedDomain = r.text('LODESTONE_OIDC_ALLOWED_DOMAIN')
  if (!issuer || !clientId || !clientSecret || !allowedDomain) return undefined
  const role = r.text('LODESTONE_OIDC_DEFAULT_ROLE') ?? 'viewer'
  if (!(ROLES as readonly string[]).includes(role)) {
    problems.push(`LODESTONE_OIDC_DEFAULT_ROLE must be one of ${ROLES.join(', ')}`)
    return undefined
  }
  const workspaceId = r.text('LODESTONE_OIDC_WORKSPACE')
  return { issuer, clientId, clientSecret, allowedDomain, defaultRole: role as Role, workspaceId }
}
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function reader(source: EnvSource, problems: string[]) {
  /** The variable's value, or undefined when unset or empty. */
  const raw = (name: string): string | undefined => {
    const value = source[name]
    if (value === undefined || value === null || value === '') return undefined
    return typeof value === 'string' ? value : String(value)
  }
  // The value is shown to help, except where it may carry a credential (URLs).
  const refuse = (name: string, want: string, value: string | null): undefined => {
    const shown = value === null ? '' : ` (got ${JSON.stringify(value.slice(0, 40))})`
    problems.push(`${name} must be ${want}${shown}`)
    return undefined
  }
  return {
    text: raw,
    number(name: string, want: string): number | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      const n = Number(value.trim())
      return value.trim() !== '' && Number.isFinite(n) && n > 0 ? n : refuse(name, want, value)
    },
    integer(name: string, min: number, max: number, want: string): number | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : refuse(name, want, value)
    },
    flag(name: string): boolean {
      const value = raw(name)
      if (value === undefined) return false
      const v = value.trim().toLowerCase()
      if (v === 'true' || v === '1') return true
      if (v !== 'false' && v !== '0') refuse(name, 'true, false, 1 or 0', value)
      return false
    },
    url(name: string): string | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      const ok = URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)
      return ok ? value : refuse(name, 'an http(s) URL', null)
    },
    nodeList(name: string): string[] | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      return parseNodeList(value) ?? refuse(name, 'host:port pairs separated by commas', value)
    },
    shardList(name: string): ShardConfig[] | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      const parsed = parseShardList(value)
      // The URLs may carry passwords: the problem names the shard, never shows the value.
      return Array.isArray(parsed)
        ? parsed
        : refuse(name, `name=postgres://… pairs separated by commas (${parsed.problem})`, null)
    },
    headerName(name: string): string | undefined {
      const value = raw(name)
      if (value === undefined) return undefined
      return HEADER_NAME.test(value) ? value : refuse(name, 'an HTTP header name', value)
    },
  }
}
