import { createPoller } from '../background/poller.js'
import type { AppDeps } from '../deps.js'
import type { AudiencePort } from './port.js'
import { publishOutcome } from './publish-outcome.js'

export interface TimeSweeperOptions {
  port: AudiencePort
  deps: Pick<AppDeps, 'live' | 'clock' | 'log'>
  /**
   * How often this process looks for contacts that time has changed (default 60 s): a grade
   * lost to decay or a segment left because an event aged out fires at most this late.
   */
  intervalMs?: number
}

const DAILY_MS = 10 * 60_000

/**
 * Runs time's work on an interval: the due sweep (score decay crossings, session ends,
 * segment windows), segment back-fills and daily member counts. Every process may run one:
 * the store hands each due contact and back-fill batch to exactly one of them.
 *
 * @example
 * const sweeper = createTimeSweeper({ port, deps: { live, clock, log } })
 * sweeper.start()
 */
export function createTimeSweeper(opts: TimeSweeperOptions) {
  const interval = opts.intervalMs ?? 60_000
  let lastDaily = 0

  async function tick(): Promise<number> {
    const now = opts.deps.clock.now()
    const countDaily = now.getTime() - lastDaily >= DAILY_MS
    const swept = await opts.port.runDue(now)
    // Published as soon as committed, before the slower background work below.
    for (const s of swept) await publishOutcome(opts.deps as AppDeps, s)
    await opts.port.runBackground(now, { countDaily })
    if (countDaily) lastDaily = now.getTime()
    return swept.reduce((n, s) => n + s.changes.length + s.transitions.length, 0)
  }

  // One pass every interval, whatever the last one found.
  const poller = createPoller(async () => (await tick(), false), {
    intervalMs: interval,
    firstDelayMs: Math.min(interval, 1000),
    onError: (err) =>
      opts.deps.log?.('time sweep failed', { code: (err as { code?: unknown })?.code }),
  })

  return {
    /** One pass now (tests, CLI); resolves with the number of changes and transitions. */
    tick,
    start: poller.start,
    stop: poller.stop,
  }
}
