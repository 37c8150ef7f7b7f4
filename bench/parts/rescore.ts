import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { BenchContext } from '../lib/context.js'
import { ROOT } from '../lib/collector-deps.js'
import { spawnCollector } from '../lib/collector-process.js'
import { seedContacts } from '../lib/seed.js'

export interface RescoreResult {
  contacts: number
  events: number
  seconds: number
  contactsPerSecond: number
}

const EVENTS_EACH = 5

/**
 * `lodestone rescore` over 100,000 contacts (20,000 with --quick) with five events each: every
 * contact replayed from its events and saved, in the CLI's batches and transactions.
 */
export async function runRescore(ctx: BenchContext): Promise<RescoreResult> {
  const pg = await ctx.postgres()
  const dbUrl = await pg.createDatabase('bench_rescore')
  const contacts = ctx.quick ? 20_000 : 100_000
  // A short start creates the schema and the demo workspace.
  const collector = await spawnCollector({ databaseUrl: dbUrl })
  const ws = collector.workspace!
  await collector.stop()
  ctx.log(`rescore: seeding ${contacts.toLocaleString('en')} contacts × ${EVENTS_EACH} events`)
  await seedContacts(dbUrl, ws.id, contacts, EVENTS_EACH, ctx.log)
  const started = performance.now()
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'packages/collector/bin/lodestone.mjs'), 'rescore', '--workspace', ws.id],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: dbUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`rescore exited ${code}: ${out.slice(-2000)}`)),
    )
  })
  const seconds = (performance.now() - started) / 1000
  const done = /rescored (\d+)\/(\d+)/g
  let last = 0
  for (const m of output.matchAll(done)) last = Number(m[1])
  if (last !== contacts) throw new Error(`rescore reported ${last} of ${contacts} contacts`)
  ctx.log(`rescore: ${contacts} contacts in ${seconds.toFixed(1)} s`)
  return {
    contacts,
    events: contacts * EVENTS_EACH,
    seconds: Math.round(seconds * 10) / 10,
    contactsPerSecond: Math.round(contacts / seconds),
  }
}
