#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { EnvError, readEnv } from './env.js'
import { openStore } from '../adapters/open-store.js'
import { startCollector } from './node.js'
import { startProcessor } from '../log/nats.js'
import { signInLines, userCreate } from './cli-team.js'
import { exportCommand, qualityCommand } from './cli-commands.js'
import { shardsCommand } from './cli-shards.js'

const USAGE = `lodestone <command>

  start                                   serve the collector (PORT, HOST, DATABASE_URL, LODESTONE_DATA_DIR)
  process                                 log mode (NATS_URL): store the events collectors appended
  migrate                                 apply pending database migrations
  workspace create --name NAME [--json]   create a workspace and print its keys (shown once)
  workspace list [--json]                 list workspaces
  user create --workspace ID --email E --role owner|admin|marketer|viewer [--json]
                                          add a team member; prints their single-use invite link
  rescore --workspace ID                  rescore every contact with the current rules (resumable)
  export --workspace ID (--id ID | --email E | --user-id U | --anonymous-id A)
                                          print everything held on one contact as JSON
  export --workspace ID [--format csv|json]
                                          every contact with traits and scores, to stdout
                                          (export-contacts: the same, its old name)
  delete-contact --workspace ID (--id … | --email … | --user-id … | --anonymous-id …)
                                          erase a contact and its events (GDPR)
  quality --workspace ID [--json]         data-quality report: missing, invalid, duplicates
  shards list [--json]                    LODESTONE_SHARDS: each shard, its workspaces and rows
  shards move WORKSPACE SHARD [--dry-run] [--abort]
                                          move a workspace to another shard, online (resumable)`

const env = readEnvOrExit()
const log = (message: string, detail?: Record<string, unknown>) =>
  console.error(`[lodestone] ${message}${detail ? ' ' + JSON.stringify(detail) : ''}`)

/** A wrong variable stops the CLI with one line naming it, not a stack trace from deep inside. */
function readEnvOrExit() {
  try {
    return readEnv()
  } catch (err) {
    if (!(err instanceof EnvError)) throw err
    console.error(`lodestone: ${err.message}`)
    process.exit(1)
  }
}

async function withStore<T>(
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore({
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    shards: shardsConfig(),
  })
  try {
    await store.migrate()
    return await fn(store)
  } finally {
    await store.close()
  }
}

type Values = Record<string, string | boolean | undefined>

const namesContact = (values: Values) =>
  ['id', 'email', 'user-id', 'anonymous-id'].some((k) => typeof values[k] === 'string')

function contactRef(values: Values) {
  if (typeof values.id === 'string') return { id: values.id }
  if (typeof values.email === 'string') return { kind: 'email', value: values.email }
  if (typeof values['user-id'] === 'string') return { kind: 'userId', value: values['user-id'] }
  if (typeof values['anonymous-id'] === 'string')
    return { kind: 'anonymousId', value: values['anonymous-id'] }
  throw new Error('name the contact: --id, --email, --user-id or --anonymous-id')
}

/** A progress bar on a terminal; a line every few seconds otherwise (CI logs, pipes). */
function createProgress(out: NodeJS.WriteStream) {
  let lastLine = 0
  return (done: number, total: number, started: number, final = false) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001)
    const rate = Math.round(done / secs)
    if (out.isTTY) {
      const width = 30
      const filled = total > 0 ? Math.round((done / total) * width) : width
      out.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} contacts, ${rate}/s${final ? '\n' : ''}`,
      )
    } else if (final || Date.now() - lastLine > 2000) {
      lastLine = Date.now()
      out.write(`rescored ${done}/${total} contacts, ${rate}/s\n`)
    }
  }
}

async function start() {
  const collector = await startCollector({
    port: env.port,
    host: env.host,
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    shards: shardsConfig(),
    ingestTransactions: env.ingestTransactions,
    maxConnectionsPerIp: env.maxConnectionsPerIp,
    sweepIntervalMs: env.sweepIntervalMs,
    config: {
      trustedProxyHeader: env.trustedProxyHeader,
      anonymizeIp: env.anonymizeIp,
      webhooks: { allowPrivate: env.webhookAllowPrivate },
    },
    timeouts: {
      headersMs: env.headersTimeoutMs,
      requestMs: env.requestTimeoutMs,
      keepAliveMs: env.keepAliveTimeoutMs,
    },
    eventLog: logConfig(),
    sessionSecret: env.sessionSecret,
    publicUrl: env.publicUrl,
    oidc: env.oidc,
    upstash: env.upstashUrl ? { url: env.upstashUrl, token: env.upstashToken ?? '' } : undefined,
    redisCluster: env.redisClusterNodes ? { nodes: env.redisClusterNodes } : undefined,
    rateLimit: env.rateLimit,
    liveStream: env.liveStream,
    liveReplay: env.liveReplay,
    log,
  })
  const keysFile = join(resolve(env.dataDir), 'demo-keys.json')
  let demo: { writeKey: string; secretKey: string; id: string } | null = null
  if ((await collector.store.listWorkspaces()).length === 0) {
    demo = await collector.store.createWorkspace({ name: 'Demo' })
    mkdirSync(resolve(env.dataDir), { recursive: true })
    writeFileSync(keysFile, JSON.stringify(demo, null, 2), { mode: 0o600 })
  } else {
    try {
      demo = JSON.parse(readFileSync(keysFile, 'utf8'))
    } catch {
      demo = null
    }
  }
  const store = env.shards
    ? `${env.shards.length} PostgreSQL shards (LODESTONE_SHARDS)`
    : env.databaseUrl
      ? 'PostgreSQL (DATABASE_URL)'
      : `embedded PGlite in ${resolve(env.dataDir)}`
  console.log(`Lodestone collector listening on ${collector.url} — store: ${store}`)
  if (demo) {
    console.log(`Demo workspace ${demo.id}`)
    console.log(`  write key:  ${demo.writeKey}`)
    console.log(`  secret key: ${demo.secretKey}   (also in ${keysFile})`)
    console.log(
      `  script tag: <script async src="${collector.url}/sdk.js" data-write-key="${demo.writeKey}"></script>`,
    )
    console.log(
      `  try:        curl -u ${demo.writeKey}: ${collector.url}/v1/batch -H 'content-type: application/json' \\`,
    )
    console.log(
      `                -d '{"batch":[{"type":"track","event":"Hello","anonymousId":"a1"}]}'`,
    )
  }
  const base = env.publicUrl ?? collector.url
  const workspaces = await collector.store.listWorkspaces()
  for (const line of await signInLines(collector.store.team, workspaces, demo?.id ?? null, base))
    console.log(line)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: draining in-flight requests`)
    await collector.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

/** `LODESTONE_SHARDS`: workspaces spread over several databases (docs/scaling.md). */
function shardsConfig() {
  if (!env.shards || !env.natsUrl) return undefined
  return { shards: env.shards, nats: env.natsUrl, replicas: env.logReplicas, log }
}

function logConfig() {
  if (!env.natsUrl) return undefined
  return {
    servers: env.natsUrl,
    replicas: env.logReplicas,
    partitions: env.logPartitions,
    ackWaitMs: env.logAckWaitMs,
  }
}

/** `lodestone process`: commits the log's events to the store until SIGTERM. */
async function processLog() {
  const config = logConfig()
  if (!config) throw new Error('process needs NATS_URL (log mode)')
  const store = await openStore({
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    shards: shardsConfig(),
    ingestTransactions: env.ingestTransactions,
  })
  await store.migrate()
  const processor = await startProcessor(config, { store, log })
  console.log(`Lodestone processor consuming ${config.servers}`)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: finishing the current batches`)
    await processor.stop()
    await store.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

async function main(argv: string[]) {
  const [command, sub] = argv
  const { values, positionals } = parseArgs({
    args: argv.slice(command === 'workspace' || command === 'user' || command === 'shards' ? 2 : 1),
    allowPositionals: command === 'shards',
    options: {
      name: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
      id: { type: 'string' },
      email: { type: 'string' },
      'user-id': { type: 'string' },
      'anonymous-id': { type: 'string' },
      format: { type: 'string' },
      role: { type: 'string' },
      'dry-run': { type: 'boolean' },
      abort: { type: 'boolean' },
    },
    strict: true,
  })
  switch (command) {
    case 'start':
      return start()
    case 'process':
      return processLog()
    case 'migrate':
      return withStore(async (s) =>
        console.log(
          `migrations applied: ${(await s.migrate()).applied.join(', ') || 'none (up to date)'}`,
        ),
      )
    case 'workspace':
      if (sub === 'create') {
        if (!values.name) throw new Error('workspace create needs --name NAME')
        const ws = await withStore((s) => s.createWorkspace({ name: values.name! }))
        const out = { id: ws.id, name: ws.name, writeKey: ws.writeKey, secretKey: ws.secretKey }
        if (values.json) console.log(JSON.stringify(out))
        else
          console.log(
            `Workspace ${ws.id} (${ws.name})\n  write key:  ${ws.writeKey}\n  secret key: ${ws.secretKey}\nThe secret key is shown only now: store it safely.`,
          )
        return
      }
      if (sub === 'list') {
        const list = await withStore((s) => s.listWorkspaces())
        if (values.json) console.log(JSON.stringify(list))
        else for (const w of list) console.log(`${w.id}\t${w.name}\t${w.createdAt}`)
        return
      }
      throw new Error('workspace takes create or list')
    case 'user': {
      if (sub !== 'create') throw new Error('user takes create')
      const base = env.publicUrl ?? `http://${env.host}:${env.port}`
      const out = await withStore(async (s) =>
        userCreate(s.team, await s.listWorkspaces(), values, base),
      )
      if (values.json) console.log(JSON.stringify(out))
      else
        console.log(
          `User ${out.id} (${out.email}, ${out.role})\n  invite link (single use, 7 days): ${out.inviteUrl}`,
        )
      return
    }
    case 'rescore': {
      if (!values.workspace) throw new Error('rescore needs --workspace ID')
      return withStore(async (s) => {
        const started = Date.now()
        const progress = createProgress(process.stderr)
        const r = await s.rescore(values.workspace!, {
          onProgress: (p) => progress(p.done, p.total, started),
        })
        progress(r.done, r.total, started, true)
        const secs = (Date.now() - started) / 1000
        console.log(
          JSON.stringify({
            version: r.version,
            rescored: r.done,
            changed: r.changed,
            seconds: secs,
            perSecond: Math.round(r.done / Math.max(secs, 0.001)),
          }),
        )
      })
    }
    case 'delete-contact': {
      if (!values.workspace) throw new Error(`${command} needs --workspace ID`)
      const ref = contactRef(values)
      return withStore(async (s) => {
        const contact = await s.getContact(values.workspace!, ref)
        if (!contact) throw new Error('no such contact')
        await s.deleteContact(values.workspace!, contact.id)
        console.log(JSON.stringify({ deleted: contact.id }))
      })
    }
    case 'export':
    case 'export-contacts': {
      const ws = values.workspace
      if (!ws) throw new Error(`${command} needs --workspace ID`)
      const ref = command === 'export' && namesContact(values) ? contactRef(values) : undefined
      return withStore((s) =>
        exportCommand(s, ws, { ref, format: values.format }, (c) => process.stdout.write(c)),
      )
    }
    case 'quality': {
      const ws = values.workspace
      if (!ws) throw new Error(`${command} needs --workspace ID`)
      return withStore((s) =>
        qualityCommand(s, ws, { json: values.json }, (line) => console.log(line)),
      )
    }
    case 'shards':
      return withStore((s) =>
        shardsCommand(s, sub, positionals, values, (line) => console.log(line)),
      )
    default:
      console.log(USAGE)
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`lodestone: ${(err as Error).message}`)
  process.exit(1)
})
