import type { OidcConfig } from '../team/oidc.js'
import { ROLES, type Role } from '../team/port.js'

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
    /** Slow-client limits (ms): request headers, the whole request, idle keep-alive. */
    headersTimeoutMs: positive(env.LODESTONE_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: positive(env.LODESTONE_REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: positive(env.LODESTONE_KEEP_ALIVE_TIMEOUT_MS),
    /** Keys session tokens and CSRF tokens; unset: generated into the data directory. */
    sessionSecret: env.LODESTONE_SESSION_SECRET || undefined,
    /** Where people open the dashboard, for invite links (e.g. https://lodestone.example.com). */
    publicUrl: env.LODESTONE_PUBLIC_URL || undefined,
    oidc: oidcFromEnv(env),
  }
}

/** OpenID Connect sign-in, when issuer, client id, client secret and allowed domain are all set. */
function oidcFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = env.LODESTONE_OIDC_ISSUER
  const clientId = env.LODESTONE_OIDC_CLIENT_ID
  const clientSecret = env.LODESTONE_OIDC_CLIENT_SECRET
  const allowedDomain = env.LODESTONE_OIDC_ALLOWED_DOMAIN
  if (!issuer || !clientId || !clientSecret || !allowedDomain) return undefined
  const role = env.LODESTONE_OIDC_DEFAULT_ROLE || 'viewer'
  if (!(ROLES as readonly string[]).includes(role))
    throw new Error(`LODESTONE_OIDC_DEFAULT_ROLE must be one of ${ROLES.join(', ')}`)
  return {
    issuer,
    clientId,
    clientSecret,
    allowedDomain,
    defaultRole: role as Role,
    workspaceId: env.LODESTONE_OIDC_WORKSPACE || undefined,
  }
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value)
  return value && Number.isFinite(n) && n > 0 ? n : undefined
}
