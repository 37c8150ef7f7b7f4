import type { Clock } from '../ports.js'
import type { ReportsStore } from './port.js'

export interface QualitySchedulerOptions {
  reports: Pick<ReportsStore, 'runDueQualityScans'>
  clock: Clock
  /** How often to look for due scans (default 60 s). */
  intervalMs?: number
  log?: (message: string, detail?: Record<string, unknown>) => void
}

/**
 * Runs the scheduled quality scans of every workspace. Each collector process runs one; a due
 * scan is claimed by a conditional update in the database (adapters/postgres/reports.ts), so
 * with several processes each workspace is scanned once per period, by whichever gets there.
 */
export function createQualityScheduler(opts: QualitySchedulerOptions) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<unknown> | null = null
  let stopped = true

  async function tick() {
    const done = await opts.reports.runDueQualityScans(opts.clock.now())
    for (const d of done)
      if (d.scan.worsened.length)
        opts.log?.('quality scan: measures worsened', {
          workspaceId: d.workspaceId,
          measures: d.scan.worsened.map((w) => w.measure),
        })
    return done
  }

  function schedule() {
    if (stopped) return
    timer = setTimeout(async () => {
      running = tick().catch((err) =>
        opts.log?.('quality scan failed', { name: (err as Error)?.name }),
      )
      await running
      running = null
      schedule()
    }, opts.intervalMs ?? 60_000)
  }

  return {
    tick,
    start() {
      if (!stopped) return
      stopped = false
      schedule()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
