import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../setup/servers.js'

export interface RedisCluster {
  /** `127.0.0.1:port` of every master. */
  nodes: string[]
  stop(): Promise<void>
}

/**
 * A real Redis Cluster on loopback: `size` `redis-server --cluster-enabled yes` processes (no
 * persistence), joined by `redis-cli --cluster create` with no replicas, ready once every node
 * reports `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-redis-cluster-'))
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()))
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  )
  const cli = (port: number, ...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' })
  const until = async (ok: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`redis cluster: ${what}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const answers = (port: number) => {
    try {
      return cli(port, 'ping').trim() === 'PONG'
    } catch {
      return false
    }
  }
  for (const port of ports) await until(() => answers(port), `node ${port} did not start`)
  execFileSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { stdio: 'ignore' },
  )
  for (const port of ports)
    await until(() => cli(port, 'cluster', 'info').includes('cluster_state:ok'), 'not ok')
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`),
    async stop() {
      for (const c of children) c.kill('SIGKILL')
      await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
