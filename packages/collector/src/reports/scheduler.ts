import type { Clock } from '../ports.js'
import type { ReportsStore } from './port.js'
import { createPoller } from '../background/poller.js'

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

  const poller = createPoller(async () => (await tick(), false), {
    intervalMs: opts.intervalMs ?? 60_000,
    onError: (err) => opts.log?.('quality scan failed', { name: (err as Error)?.name }),
  })
  return { tick, start: poller.start, stop: poller.stop }
}
