import { backoffDelay, type BackoffOptions } from './backoff.js'
import type { Log, Send, SendResult } from './ports.js'
import type { LodestoneEvent } from './types.js'
import { DEBUG_TEXT } from './debug-text.js'

export interface QueueOptions {
  send: Send
  batchSize: number
  flushInterval: number
  maxQueueSize: number
  backoff: BackoffOptions
  /** Called (synchronously) whenever the set of waiting events changes; persistence hooks in. */
  onChange?(): void
  log?: Log
  random?(): number
}

export interface Queue {
  push(event: LodestoneEvent): void
  /** Adds events restored from storage or adopted from another tab, ahead of new ones. */
  restore(events: LodestoneEvent[]): void
  /** Sends now. With `beacon`, everything waiting goes at once on the unload-safe transport. */
  flush(beacon?: boolean): Promise<void>
  /** Cancels any backoff wait and sends (the network is back). */
  retryNow(): void
  /** Delivery pauses while held (consent pending); events still queue. */
  hold(on: boolean): void
  /** Every event not yet acknowledged, oldest first (in flight ones included). */
  events(): LodestoneEvent[]
  clear(): void
  /** Events dropped because the queue was full. */
  readonly dropped: number
}

// Larger than Segment's 32 KB event limit; batches stay well under the 500 KB request limit.
const MAX_BATCH_CHARS = 400_000
// Beacon-path chunks stay under the 64 KB keepalive / sendBeacon budget.
const MAX_BEACON_CHARS = 60_000

interface Item {
  e: LodestoneEvent
  /** Serialised length, for batch limits: measured when first batched, not in track(). */
  chars?: number
  busy?: boolean
}

/**
 * The delivery queue: batches by size and time, one request in flight, retries with jittered
 * backoff (or the server's Retry-After), and drops only what the server refuses for good.
 * No DOM: persistence and transports are injected.
 *
 * @example
 * const q = createQueue({ send, batchSize: 20, flushInterval: 1000, maxQueueSize: 1000,
 *   backoff: { baseMs: 1000, maxMs: 60_000 } })
 * q.push(event)
 */
export const createQueue = (o: QueueOptions): Queue => {
  let items: Item[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let waitingUntil = 0
  let attempt = 0
  let sending = false
  let held = false
  let dropped = 0
  const log = o.log ?? (() => {})

  const item = (e: LodestoneEvent): Item => ({ e })
  const changed = () => o.onChange?.()
  const idle = () => items.filter((i) => !i.busy)

  const trim = () => {
    let over = items.length - o.maxQueueSize
    if (over <= 0) return
    const before = items.length
    // Oldest first; events already in flight stay (they may still be acknowledged).
    items = items.filter((i) => i.busy || over-- <= 0)
    dropped += before - items.length
    log(DEBUG_TEXT && 'queue full: dropped oldest events', dropped)
  }

  const wake = () => {
    timer = undefined
    waitingUntil = 0
    void flush()
  }

  const schedule = (ms: number) => {
    if (timer === undefined) timer = setTimeout(wake, ms)
  }

  const take = (limit: number, maxChars: number): Item[] => {
    const batch: Item[] = []
    let chars = 0
    for (const i of items) {
      if (i.busy) continue
      const n = (i.chars ??= JSON.stringify(i.e).length)
      if (batch.length >= limit || (batch.length > 0 && chars + n > maxChars)) break
      batch.push(i)
      i.busy = true
      chars += n
    }
    return batch
  }

  const settle = (batch: Item[], r: SendResult, beacon: boolean) => {
    if (r.ok || !r.retry) {
      if (!r.ok) log(DEBUG_TEXT && 'collector refused a batch; dropped', r.status)
      items = items.filter((i) => !batch.includes(i))
      if (r.ok) attempt = 0
      changed()
      return true
    }
    batch.forEach((i) => (i.busy = false))
    // A beacon that failed while the page lives on goes back to the normal path.
    if (beacon) {
      schedule(o.flushInterval)
      return false
    }
    attempt++
    const delay = r.retryAfterMs ?? backoffDelay(attempt, o.backoff, o.random)
    log(DEBUG_TEXT && 'delivery failed; retrying in ms', delay)
    waitingUntil = Date.now() + delay
    schedule(delay)
    return false
  }

  const sendOne = async (batch: Item[], beacon: boolean) => {
    let r: SendResult
    try {
      r = await o.send(
        batch.map((i) => i.e),
        beacon,
      )
    } catch {
      r = { ok: false, retry: true }
    }
    return settle(batch, r, beacon)
  }

  const flush = async (beacon = false): Promise<void> => {
    if (held) return
    if (beacon) {
      const sends: Promise<boolean>[] = []
      for (let b = take(Infinity, MAX_BEACON_CHARS); b.length; b = take(Infinity, MAX_BEACON_CHARS))
        sends.push(sendOne(b, true))
      await Promise.all(sends)
      return
    }
    if (sending || waitingUntil > Date.now()) return
    clearTimeout(timer)
    timer = undefined
    sending = true
    try {
      for (
        let b = take(o.batchSize, MAX_BATCH_CHARS);
        b.length;
        b = take(o.batchSize, MAX_BATCH_CHARS)
      )
        if (!(await sendOne(b, false))) break
    } finally {
      sending = false
    }
  }

  const kick = () => {
    if (held || sending || waitingUntil > Date.now()) return
    if (idle().length >= o.batchSize) void flush()
    else schedule(o.flushInterval)
  }

  return {
    push(e) {
      items.push(item(e))
      trim()
      changed()
      kick()
    },
    restore(events) {
      if (!events.length) return
      const known = new Set(items.map((i) => i.e.messageId))
      items = events
        .filter((e) => !known.has(e.messageId))
        .map(item)
        .concat(items)
      trim()
      changed()
      kick()
    },
    flush,
    retryNow() {
      clearTimeout(timer)
      wake()
    },
    hold(on) {
      held = on
      if (!on && items.length) kick()
    },
    events: () => items.map((i) => i.e),
    clear() {
      items = []
      changed()
    },
    get dropped() {
      return dropped
    },
  }
}
