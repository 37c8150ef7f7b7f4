import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { summariseProfile, type ProfileSummary } from '../lib/cpu-profile.js'

export interface ProfileResult extends ProfileSummary {
  load: LoadResult
}

/**
 * The collector under full load with `node --cpu-prof`: where its CPU time goes (self time by
 * function and by package), and how much of the time it sits idle waiting on PostgreSQL.
 */
export async function runProfile(ctx: BenchContext): Promise<ProfileResult> {
  const pg = await ctx.postgres()
  const dir = mkdtempSync(join(tmpdir(), 'lodestone-prof-'))
  const collector = await spawnCollector({
    databaseUrl: await pg.createDatabase('bench_profile'),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  })
  let load: LoadResult
  try {
    const target = { url: collector.url, writeKey: collector.workspace!.writeKey }
    await runLoad(target, { seconds: ctx.seconds(5), tag: 'prof' })
    load = await runLoad(target, { seconds: ctx.seconds(15), tag: 'prof' })
  } finally {
    await collector.stop()
  }
  try {
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error('the collector wrote no .cpuprofile')
    const summary = summariseProfile(join(dir, file))
    ctx.log(
      `profile: idle ${summary.idlePercent}%; top ${summary.functions
        .slice(0, 5)
        .map((f) => `${f.name} ${f.percent}%`)
        .join(', ')}`,
    )
    return { load, ...summary }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
