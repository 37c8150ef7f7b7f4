import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, inject } from 'vitest'
import { freePort } from '../setup/servers.js'
import { openTestStore, type TestStore } from '../../packages/collector/src/test-support/stores.js'

const BIN = fileURLToPath(new URL('../../packages/collector/bin/lodestone.mjs', import.meta.url))

export interface ChildCollector {
  url: string
  pid: number
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  kill(signal: NodeJS.Signals): void
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * The real `lodestone start` in its own process (the CLI users run), on a free loopback port,
 * so a test can SIGKILL or SIGTERM it. Output is captured for the log checks.
 */
export async function spawnCollector(
  databaseUrl: string,
  env: Record<string, string> = {},
  command: 'start' | 'process' = 'start',
): Promise<ChildCollector> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'lodestone-child-'))
  const child = spawn(process.execPath, [BIN, command], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LODESTONE_DATA_DIR: dataDir,
      LODESTONE_RATE_LIMIT: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true })
      resolve({ code, signal })
    }),
  )
  let gone = false
  void exited.then(() => (gone = true))
  const deadline = Date.now() + 60_000
  // `process` (log mode) serves no HTTP: it is ready once it consumes.
  const ready = command === 'start' ? 'listening on' : 'processor consuming'
  while (!output.includes(ready)) {
    if (gone || Date.now() > deadline)
      throw new Error(`collector did not start:\n${output.slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    kill: (signal) => child.kill(signal),
    exited,
  }
}

/**
 * A fresh, migrated database on the shared PostgreSQL server, with one workspace created before
 * any collector starts (so `start` prints no demo keys), and its URL for a child collector.
 */
export async function freshDatabase(): Promise<{
  store: TestStore
  url: string
  workspace: { id: string; writeKey: string; secretKey: string }
}> {
  const store = await openTestStore('postgres')
  const [row] = await store.sql`select current_database() as db`
  const url = new URL(inject('pgUrl'))
  url.pathname = `/${row!.db}`
  const workspace = await store.createWorkspace({ name: 'Child collector' })
  return { store, url: url.toString(), workspace }
}

/**
 * What one test file starts: `track` its child collectors, `cleanup` anything else (stores,
 * servers). After the file's tests every child still running is killed, then the cleanups run.
 */
export function childProcesses() {
  const children: ChildCollector[] = []
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    await Promise.all(children.map((c) => c.exited))
    for (const f of cleanups) await f().catch(() => {})
  })
  return {
    track(...started: ChildCollector[]) {
      children.push(...started)
    },
    cleanup(f: () => Promise<void>) {
      cleanups.push(f)
    },
  }
}
