import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../../test/setup/servers.js'
import { ROOT } from './collector-deps.js'

export type LimitMode = 'parse' | 'insert' | 'group'

/** Starts a limit server (see limit-server.ts) in its own process. */
export async function spawnLimit(mode: LimitMode, databaseUrl?: string) {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench/lib/limit-server.ts'),
      mode,
      String(port),
      databaseUrl ?? '',
    ],
    { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve())
    child.once('exit', (code) => reject(new Error(`limit server ${mode} exited with ${code}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}
