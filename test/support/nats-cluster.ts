import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager, StorageType } from '@nats-io/jetstream'
import { freePort } from '../setup/servers.js'

export interface NatsNode {
  name: string
  url: string
  kill(signal: NodeJS.Signals): void
  exited: Promise<void>
}

export interface NatsCluster {
  nodes: NatsNode[]
  /** Every node's client URL, comma-separated (what `NATS_URL` takes). */
  url: string
  stop(): Promise<void>
}

const BIN = ['/usr/bin/nats-server', '/usr/local/bin/nats-server', '/usr/sbin/nats-server'].find(
  (p) => existsSync(p),
)

/**
 * A JetStream cluster of `size` real nats-server processes on loopback ports (one node: no
 * cluster), each with its own store directory, ready once every node answers on its port and
 * the cluster can place a stream on all `size` servers (it has elected its meta leader and knows
 * every peer; before that a replicated stream add answers "no suitable peers for placement").
 */
export async function startNatsCluster(size: number): Promise<NatsCluster> {
  if (!BIN) throw new Error('nats-server not found (apt-get install -y nats-server)')
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-nats-'))
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()))
  const routes = await Promise.all(Array.from({ length: size }, () => freePort()))
  const nodes: (NatsNode & { child: ChildProcess; output: () => string })[] = []
  for (let i = 0; i < size; i++) {
    const name = `n${i}`
    const args = ['-a', '127.0.0.1', '-p', String(ports[i]), '-js', '-sd', join(dir, name)]
    args.push('-n', name)
    if (size > 1) {
      args.push('--cluster_name', 'lodestone', '--cluster', `nats://127.0.0.1:${routes[i]}`)
      args.push('--routes', routes.map((r) => `nats://127.0.0.1:${r}`).join(','))
    }
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    nodes.push({
      name,
      url: `nats://127.0.0.1:${ports[i]}`,
      child,
      output: () => output,
      kill: (signal) => child.kill(signal),
      exited,
    })
  }
  const deadline = Date.now() + 30_000
  for (const n of nodes) {
    while (!n.output().includes('Server is ready')) {
      if (Date.now() > deadline)
        throw new Error(`nats-server ${n.name} did not start:\n${n.output()}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const url = nodes.map((n) => n.url).join(',')
  await placementReady(url, size, deadline + 60_000)
  return {
    nodes,
    url,
    async stop() {
      for (const n of nodes) n.kill('SIGKILL')
      await Promise.all(nodes.map((n) => n.exited))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Adds and deletes a probe stream with `replicas` replicas until the cluster accepts it. */
async function placementReady(url: string, replicas: number, deadline: number) {
  const nc = await connect({ servers: url.split(','), reconnectTimeWait: 200 })
  try {
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc)
        const name = `probe_${process.pid}`
        await jsm.streams.add({
          name,
          subjects: [`probe.${process.pid}`],
          storage: StorageType.Memory,
          num_replicas: replicas,
        })
        await jsm.streams.delete(name)
        return
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`JetStream cluster did not form: ${err}`)
        await new Promise((r) => setTimeout(r, 250))
      }
    }
  } finally {
    await nc.close()
  }
}
