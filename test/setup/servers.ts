import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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
  const port = await freePort()
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asPostgresUser(cmd, args)
    execFileSync(c, a, { stdio: 'pipe' })
  }
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    '-c fsync=on',
    '-c shared_buffers=256MB',
  ].join(' ')
  const start = () => run(pgCtl, ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start'])
  start()
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
  const port = await freePort()
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  await waitForPort(port, 10_000)
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      child.kill('SIGTERM')
    },
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
