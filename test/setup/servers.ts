import { execFile, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export interface Service {
  url: string
  port: number
  stop(): Promise<void>
}

/** A PostgreSQL server that a fault test can crash and start again on the same data and port. */
export interface RestartablePostgres extends Service {
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`), keeping its data. */
  halt(): void
  /** Starts it again after halt(). */
  restart(): void
  /** Directory of the server's Unix-domain socket (`?host=` in a URL connects through it). */
  socketDir: string
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  // initdb refuses to run as root; the Debian image has a `postgres` user for this.
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]]
  return [cmd, args]
}

/** Starts a throwaway PostgreSQL server with trust auth on a free loopback port. */
export async function startPostgres(): Promise<RestartablePostgres> {
  const initdb = join(PG_BIN, 'initdb')
  const pgCtl = join(PG_BIN, 'pg_ctl')
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL binaries not found in ${PG_BIN} (set PG_BIN or install postgresql-15)`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-pg-'))
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asPostgresUser(cmd, args)
    execFileSync(c, a, { stdio: 'pipe' })
  }
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  let port = 0
  const start = () => {
    const opts = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      '-c fsync=on',
      '-c shared_buffers=256MB',
    ].join(' ')
    run(pgCtl, ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start'])
  }
  // A free port is free only until someone binds it: another process on the machine may take it
  // before the postmaster does ("could not bind … Address already in use"). Then take another.
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    try {
      start()
      break
    } catch (err) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''
      if (attempt >= 5 || !/Address already in use/.test(log)) throw err
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    socketDir: dir,
    halt: () => run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']),
    restart: start,
    async stop() {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** Starts a throwaway redis-server (no persistence) on a free loopback port. */
export async function startRedis(): Promise<Service> {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p))
  if (!bin) throw new Error('redis-server not found (apt-get install -y redis-server)')
  // As for PostgreSQL: the free port may be taken before redis-server binds it, and then what
  // answers on it is someone else's server. Take another until the answer is ours.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    await waitForPort(port, 10_000)
    if (!redisAnswersFrom(child, port)) {
      child.kill('SIGKILL')
      if (attempt < 5) continue
      throw new Error(`port ${port} was taken by another process before redis-server bound it`)
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        child.kill('SIGTERM')
      },
    }
  }
}

const REDIS_CLI = ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli'].find((p) => existsSync(p))

/** Whether the redis-server `child` is what answers on `port` (its `process_id`). */
function redisAnswersFrom(child: ReturnType<typeof spawn>, port: number): boolean {
  if (!REDIS_CLI || child.exitCode !== null || child.signalCode !== null) return false
  try {
    const info = execFileSync(REDIS_CLI, ['-p', String(port), 'info', 'server'], {
      timeout: 5_000,
      stdio: 'pipe',
    }).toString()
    return new RegExp(`process_id:${child.pid}\\b`).test(info)
  } catch {
    return false
  }
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`port ${port} did not open in ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** One redis-server of a test cluster, which a fault test can crash and start again. */
export interface RedisClusterNode {
  port: number
  /** `127.0.0.1:<port>`, as REDIS_CLUSTER_NODES lists it. */
  address: string
  /**
   * SIGKILLs the server (a crash: no goodbye to the cluster), first letting its replicas fail
   * over: until a test kills their master, replicas never replace it (see startRedisCluster).
   */
  kill(): void
  /** Ports of this node's replicas, as the cluster sees them now. */
  replicas(): number[]
  /** Starts it again on the same port and cluster config after kill(). */
  restart(): Promise<void>
}

export interface RedisCluster {
  /** Every node, masters first (in creation order, replicas after). */
  nodes: RedisClusterNode[]
  /** `127.0.0.1:<port>,…` of every node: the REDIS_CLUSTER_NODES value. */
  env: string
  stop(): Promise<void>
}

const REDIS_BINS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server']

/**
 * Starts a throwaway Redis Cluster on loopback: `masters` redis-servers with `replicasPerMaster`
 * replicas each (no persistence, `cluster-node-timeout` 1 s so a failover takes seconds), joined
 * with `redis-cli --cluster create`, and waits until every node says `cluster_state:ok`.
 *
 * Replicas fail over only when the test kills their master (`node.kill()`). With a 1 s node
 * timeout, a master that the machine does not schedule for a few seconds (a busy CI run on
 * two cores) is voted failed and its replica promoted behind the test's back; a write the stalled
 * master took before it learned of the promotion is then lost (it resyncs from the new master),
 * and a test that next kills the slot's owner finds its count gone. Reproduced by SIGSTOPping
 * the owner for 3 s around the failover test's first write: the replica was promoted in 5 runs
 * of 5, and in one the incr after the kill answered 1. Guarded by
 * test/reliability/redis-cluster-stall.test.ts.
 *
 * @example
 * const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
 * process.env.REDIS_CLUSTER_NODES = cluster.env
 */
export async function startRedisCluster(
  opts: { masters?: number; replicasPerMaster?: number } = {},
): Promise<RedisCluster> {
  const bin = REDIS_BINS.find((p) => existsSync(p))
  const cli = ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli'].find((p) => existsSync(p))
  if (!bin || !cli)
    throw new Error('redis-server/redis-cli not found (apt-get install redis-server)')
  const masters = opts.masters ?? 3
  const replicas = opts.replicasPerMaster ?? 0
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-redis-cluster-'))
  const children = new Map<number, ReturnType<typeof spawn>>()
  const launch = async (port: number) => {
    const args = [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
      ...['--cluster-node-timeout', '1000', '--dir', dir, '--protected-mode', 'no'],
      // A replica promotes itself however long ago it last heard from its master, but only
      // once kill() has allowed it: see startRedisCluster's comment.
      ...['--cluster-replica-validity-factor', '0', '--cluster-replica-no-failover', 'yes'],
    ]
    const child = spawn(bin, args, { stdio: 'ignore' })
    children.set(port, child)
    await waitForPort(port, 10_000)
    if (!redisAnswersFrom(child, port))
      throw new Error(`port ${port} was taken by another process before redis-server bound it`)
  }
  const ports: number[] = []
  for (let i = 0; i < masters * (1 + replicas); i++) {
    ports.push(await freeClusterPort(ports))
  }
  const stop = async () => {
    for (const child of children.values()) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await Promise.all(ports.map(launch))
    const addresses = ports.map((p) => `127.0.0.1:${p}`)
    execFileSync(
      cli,
      [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { stdio: 'pipe', timeout: 30_000 },
    )
    await waitForClusterOk(cli, ports, 30_000)
    // A failover needs replicas that have synced once; cluster_state:ok does not wait for that.
    await waitForReplicasInSync(cli, ports, 30_000)
  } catch (err) {
    await stop()
    throw err
  }
  const replicasOf = (port: number) => clusterReplicas(cli, ports, port)
  return {
    nodes: ports.map((port) => ({
      port,
      address: `127.0.0.1:${port}`,
      kill: () => {
        for (const replica of replicasOf(port)) {
          try {
            execFileSync(cli, ['-p', String(replica), 'config', 'set', NO_FAILOVER, 'no'], {
              timeout: 5_000,
              stdio: 'pipe',
            })
          } catch {
            // a replica killed earlier: nothing to allow
          }
        }
        children.get(port)?.kill('SIGKILL')
      },
      replicas: () => replicasOf(port),
      restart: () => launch(port),
    })),
    env: ports.map((p) => `127.0.0.1:${p}`).join(','),
    stop,
  }
}

const NO_FAILOVER = 'cluster-replica-no-failover'

/**
 * Ports of the replicas of the node on `port`, from the first node among `ports` that answers
 * CLUSTER NODES (`<id> <ip:port@bus> <flags> <master id> …` a line).
 */
function clusterReplicas(cli: string, ports: number[], port: number): number[] {
  for (const asked of [port, ...ports.filter((p) => p !== port)]) {
    let text: string
    try {
      text = execFileSync(cli, ['-p', String(asked), 'cluster', 'nodes'], {
        timeout: 5_000,
        stdio: 'pipe',
      })
        .toString()
        .trim()
    } catch {
      continue // a dead node: ask the next
    }
    const lines = text.split('\n').map((line) => line.split(' '))
    const portOf = (address: string) => Number(/:(\d+)@/.exec(address)?.[1])
    const id = lines.find((f) => portOf(f[1] ?? '') === port)?.[0]
    if (!id) continue
    return lines.filter((f) => f[3] === id).map((f) => portOf(f[1] ?? ''))
  }
  return []
}

// A cluster node also listens on its port + 10000 (the cluster bus), so both must be free.
async function freeClusterPort(taken: number[]): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = await freePort()
    if (port > 55_000 || taken.some((t) => Math.abs(t - port) === 10_000 || t === port)) continue
    if (await portIsFree(port + 10_000)) return port
  }
  throw new Error('no free port pair for a Redis Cluster node')
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

async function waitForReplicasInSync(cli: string, ports: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const lagging = ports.filter((port) => {
      const info = execFileSync(cli, ['-p', String(port), 'info', 'replication'], {
        timeout: 5_000,
      }).toString()
      return /role:slave/.test(info) && !/master_link_status:up/.test(info)
    })
    if (lagging.length === 0) return
    if (Date.now() > deadline) throw new Error(`Redis replicas not in sync within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Waits until every listed node reports `cluster_state:ok` (slots all served). */
export async function waitForClusterOk(cli: string, ports: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const states = ports.map((port) => {
      try {
        const info = execFileSync(cli, ['-p', String(port), 'cluster', 'info'], { timeout: 5_000 })
        return /cluster_state:ok/.test(info.toString())
      } catch {
        return false
      }
    })
    if (states.every(Boolean)) return
    if (Date.now() > deadline) {
      let nodes = ''
      for (const port of ports) {
        try {
          nodes = execFileSync(cli, ['-p', String(port), 'cluster', 'nodes'], { timeout: 5_000 })
            .toString()
            .trim()
          break
        } catch {
          // try the next node
        }
      }
      throw new Error(`Redis Cluster not ok within ${timeoutMs} ms; CLUSTER NODES:\n${nodes}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** One `redis-cli` command to the node on `port`, its reply trimmed (synchronous: a test's probe). */
export const redisCli = (port: number, ...args: string[]) =>
  execFileSync('redis-cli', ['-p', String(port), ...args], { timeout: 5_000 })
    .toString()
    .trim()

/**
 * The one node among `ports` serving `key`'s slot right now, or undefined. A node serves a key
 * when `EXISTS` answers it with an integer. Every other answer means "not here, not now":
 * `MOVED` (another master's slot, or a replica), `CLUSTERDOWN` (the cluster is between a
 * master's death and its replica's promotion), a refused connection (a dead node). redis-cli
 * prints error replies on stdout and exits 0, so the reply itself is what is checked.
 * Asynchronous, so a collector running in the test's process keeps answering meanwhile.
 */
export async function slotOwner(
  cli: string,
  ports: number[],
  key: string,
): Promise<number | undefined> {
  const answers = await Promise.all(
    ports.map((port) =>
      execFileAsync(cli, ['-p', String(port), 'exists', key], { timeout: 5_000 }).then(
        ({ stdout }) => /^\d+$/.test(stdout.trim()),
        () => false,
      ),
    ),
  )
  const serving = ports.filter((_, i) => answers[i])
  return serving.length === 1 ? serving[0] : undefined
}

/** Waits until some node among `ports` serves `key` (`slotOwner`), e.g. a promoted replica. */
export async function waitForSlotOwner(
  cli: string,
  ports: number[],
  key: string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const owner = await slotOwner(cli, ports, key)
    if (owner !== undefined) return owner
    if (Date.now() > deadline) {
      throw new Error(`no Redis Cluster node served ${key} within ${timeoutMs} ms`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
