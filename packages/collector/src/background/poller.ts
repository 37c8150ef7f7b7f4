// The loop every background worker of a collector process shares (webhook deliveries, quality
// scans, the time sweep): one run at a time, the next after `intervalMs`, or at once while a run
// found work.

export interface Poller {
  start(): void
  /** Stops the loop and waits for a run in progress. */
  stop(): Promise<void>
}

/**
 * Runs `run` every `intervalMs`, never two at once. A run answering `true` (it found work and
 * there may be more) is followed by the next one at once. A failed run is passed to `onError`
 * and the loop goes on. The first run comes after `firstDelayMs` (default: `intervalMs`).
 *
 * @example createPoller(() => deliverDue(), { intervalMs: 1000 }).start()
 */
export function createPoller(
  run: () => Promise<boolean>,
  opts: { intervalMs: number; firstDelayMs?: number; onError?: (err: unknown) => void },
): Poller {
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<boolean> | null = null
  let stopped = true

  function schedule(delayMs: number) {
    if (stopped) return
    timer = setTimeout(async () => {
      running = run().catch((err) => {
        opts.onError?.(err)
        return false
      })
      const more = await running
      running = null
      schedule(more ? 0 : opts.intervalMs)
    }, delayMs)
  }

  return {
    start() {
      if (!stopped) return
      stopped = false
      schedule(opts.firstDelayMs ?? opts.intervalMs)
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
