import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../test/setup/servers.js'
import { ROOT } from './collector-deps.js'

export interface CollectorProcess {
  url: string
  pid: number
  /** Demo workspace the first start creates (null when the database already had workspaces). */
  workspace: { id: string; writeKey: string; secretKey: string } | null
  /** SIGTERM (the CLI drains and exits, which also writes a --cpu-prof profile), then waits. */
  stop(): Promise<void>
  /** The last 4,000 characters of its stderr and its exit code (null while it runs). */
  diagnose?: () => { exitCode: number | null; stderr: string }
}

export interface CollectorProcessOptions {
  /** Unset: the embedded PGlite store in a fresh temporary data dir. */
  databaseUrl?: string
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[]
  /** Another checkout's CLI (A/B runs of older code), default this checkout's. */
  bin?: string
  /** The database is new, so the start creates and prints a demo workspace (default true). */
  freshDatabase?: boolean
  /** Extra environment (log mode: NATS_URL and the LODESTONE_LOG_* settings). */
  env?: Record<string, string>
  /** `process`: a log-mode processor (no HTTP; ready once it consumes). Default `start`. */
  command?: 'start' | 'process'
}

/**
 * Runs `lodestone start` in its own process, so the load generator never shares its event loop,
 * and reads the URL and demo keys from what it prints.
 */
export async function spawnCollector(
  opts: CollectorProcessOptions = {},
): Promise<CollectorProcess> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'lodestone-bench-'))
  const child = spawn(
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      opts.bin ?? join(ROOT, 'packages/collector/bin/lodestone.mjs'),
      opts.command ?? 'start',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: opts.databaseUrl ?? '',
        LODESTONE_DATA_DIR: dataDir,
        // Benchmarks measure the pipeline, not the per-workspace limiter's refusals.
        LODESTONE_RATE_LIMIT: '100000000',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)))
  // The lines arrive in separate writes: wait for the last one the start prints.
  const fresh = opts.freshDatabase ?? true
  const processor = opts.command === 'process'
  await waitFor(
    child,
    () =>
      processor
        ? out.includes('processor consuming')
        : /listening on (\S+)/.test(out) && (!fresh || /secret key:\s+\S+/.test(out)),
    () => err,
    60_000,
  )
  const id = /Demo workspace (\S+)/.exec(out)?.[1]
  const writeKey = /write key:\s+(\S+)/.exec(out)?.[1]
  const secretKey = /secret key:\s+(\S+)/.exec(out)?.[1]
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    workspace: id && writeKey && secretKey ? { id, writeKey, secretKey } : null,
    diagnose: () => ({ exitCode: child.exitCode, stderr: err }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function waitFor(
  child: ChildProcess,
  ready: () => boolean,
  stderr: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`collector exited: ${stderr()}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`collector did not start in ${timeoutMs} ms: ${stderr()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
