import { CollectorError } from '../errors.js'
import type { LiveEntry, LiveStart } from './feed.js'
import { sseText } from './sse.js'

/**
 * How much may queue for one live-stream subscriber, and its timers. Defaults: 10,000 entries or
 * 8 MiB of SSE text, whichever comes first. A client that reads is one write behind (what
 * arrived while the last batch went out: milliseconds); 10,000 entries is over a second of the
 * busiest workspace this collector can take (its measured peak, about 7,000 events/s in
 * docs/benchmarks.md, makes up to about 8,000 entries/s: a score entry per changed contact, an
 * events entry per request) and far longer for a usual one. 8 MiB bounds the memory when entries
 * are big (an events entry carries a whole batch). What a dropped subscriber still holds: the
 * queue (discarded), the batch in the write and the chunk or two the response stream and socket
 * took, each at most the cap.
 */
export interface LiveStreamLimits {
  /** Entries that may queue behind the write in progress. */
  maxEntries?: number
  /**
   * SSE text that may queue, counted in UTF-16 code units: a byte each for the ASCII JSON the
   * entries mostly are (V8 keeps such strings at a byte a character), two for other text.
   */
  maxBytes?: number
  /**
   * Live streams one workspace may hold open on this process at once (`/v1/stream` and the
   * Live page together): the cap above bounds each, this bounds how many there are.
   */
  maxSubscribers?: number
  /** A `ping` after this long without an entry, so proxies keep the connection. */
  heartbeatMs?: number
  /** After an overflow, how long the connection has to take its last bytes before it is cut. */
  dropGraceMs?: number
  /** Sees each subscriber's state (kept current) as it starts: for tests and metrics. */
  observe?: (state: Readonly<SubscriberState>) => void
}

export const LIVE_STREAM_DEFAULTS = {
  maxEntries: 10_000,
  maxBytes: 8 * 1024 * 1024,
  maxSubscribers: 100,
  heartbeatMs: 15_000,
  dropGraceMs: 5_000,
} as const

/** One subscriber as it is served. */
export interface SubscriberState {
  /** Entries queued now, behind the write in progress, and their SSE text. */
  queued: number
  queuedBytes: number
  /** The most that ever queued. */
  peakQueued: number
  peakQueuedBytes: number
  /** Entries in the batch being prepared or written (taken whole from the queue, so ≤ the cap). */
  writing: number
  /** Entries the subscriber will never get (counted at the overflow; 0 before). */
  dropped: number
  /** Still listening to the workspace's feed. */
  subscribed: boolean
  /** `overflow`: dropped for not reading; `closed`: the client went away or the loop ended. */
  status: 'open' | 'overflow' | 'closed'
}

/**
 * Refuses one more live stream for a workspace that holds `maxSubscribers` open on this process
 * (a 429 with a JSON body, before the response starts): however many streams a key or session
 * opens, what they can hold is bounded.
 */
export function admitSubscriber(open: number, limits: LiveStreamLimits | undefined): void {
  const max = limits?.maxSubscribers ?? LIVE_STREAM_DEFAULTS.maxSubscribers
  if (open >= max)
    throw new CollectorError(
      'rate_limited',
      `This workspace has ${max} live streams open on this server; close one or retry later`,
      { retryAfterSeconds: 30 },
    )
}

/** What the loop uses of a stream: hono's `SSEStreamingApi` is one. */
export interface LiveWriter {
  readonly aborted: boolean
  write(text: string): Promise<unknown>
  close(): Promise<unknown>
  abort(): void
  onAbort(listener: () => void | Promise<void>): void
}

/** What one route serves: the feed, how an entry waits and how a batch of them is written. */
export interface LiveSubscription<T> {
  /**
   * Subscribes to the workspace's feed (from the client's `Last-Event-ID`, if any: live/feed.ts);
   * returns the unsubscribe and how the subscription starts.
   */
  subscribe: (listener: (entry: LiveEntry, id: string) => void) => {
    stop: () => void
    start: LiveStart
  }
  /** The data of the first message, `ready`. */
  ready: Record<string, unknown>
  /** What waits for an entry as it arrives (or is replayed), and its size (as in `maxBytes`). */
  accept: (entry: LiveEntry, id: string) => { item: T; size: number }
  /** The SSE text of whatever queued meanwhile, sent in one write. */
  render: (items: T[]) => string | Promise<string>
  /** Closes the connection at once (Node: destroys the socket) if it has not finished. */
  cut?: () => void
  /** Told once when the subscriber is dropped for not reading (a log line, without personal data). */
  onDrop?: (dropped: number) => void
  limits?: LiveStreamLimits
}

/**
 * Serves one subscriber until it goes away: entries queue as the feed delivers them and go out
 * in one write per batch, with a `ping` after a quiet interval. Each write waits for the socket,
 * so a client that does not read would make the queue grow without end; past the cap the
 * subscriber is dropped instead (Redis's output-buffer limit for pub/sub, NATS's slow
 * consumers): unsubscribed at once, what queued discarded and counted, a last `overflow`
 * message and the end of the response handed to the stream without waiting, and the connection
 * cut if it has not taken them after `dropGraceMs`. EventSource then reconnects.
 */
export async function serveSubscriber<T>(
  stream: LiveWriter,
  sub: LiveSubscription<T>,
): Promise<void> {
  const limits = { ...LIVE_STREAM_DEFAULTS, ...sub.limits }
  const state: SubscriberState = {
    queued: 0,
    queuedBytes: 0,
    peakQueued: 0,
    peakQueuedBytes: 0,
    writing: 0,
    dropped: 0,
    subscribed: true,
    status: 'open',
  }
  sub.limits?.observe?.(state)
  const queue: T[] = []
  // Whether the batch taken from the queue is in the stream's hands: while it is still being
  // prepared, an overflow drops it with the rest (it will not be written).
  let handed = false
  let wake: (() => void) | null = null
  let grace: ReturnType<typeof setTimeout> | undefined

  const enqueue = (entry: LiveEntry, id: string) => {
    if (state.status !== 'open') return // a relayed batch may still be arriving
    const { item, size } = sub.accept(entry, id)
    if (queue.length + 1 > limits.maxEntries || state.queuedBytes + size > limits.maxBytes)
      return overflow()
    queue.push(item)
    state.queued = queue.length
    state.queuedBytes += size
    state.peakQueued = Math.max(state.peakQueued, state.queued)
    state.peakQueuedBytes = Math.max(state.peakQueuedBytes, state.queuedBytes)
    wake?.()
  }
  const subscribed = sub.subscribe(enqueue)
  const stopListening = subscribed.stop
  let start = subscribed.start
  // A replay that would not fit the queue is not sent in part: the client would be dropped on
  // every reconnection for the same entries. It is told it missed them instead.
  let replay: { item: T; size: number }[] = []
  if (start.kind === 'replay') {
    replay = start.entries.map(({ entry, id }) => sub.accept(entry, id))
    const bytes = replay.reduce((n, r) => n + r.size, 0)
    if (replay.length > limits.maxEntries || bytes > limits.maxBytes) {
      start = { kind: 'reset', position: start.position, reason: 'too_old' }
      replay = []
    }
  }
  const unsubscribe = () => {
    if (state.subscribed) stopListening()
    state.subscribed = false
  }

  function overflow() {
    state.status = 'overflow'
    state.dropped = queue.length + 1 + (handed ? 0 : state.writing)
    unsubscribe()
    queue.length = 0
    state.queued = state.queuedBytes = 0
    if (!handed) state.writing = 0
    sub.onDrop?.(state.dropped)
    const limit = { entries: limits.maxEntries, bytes: limits.maxBytes }
    // Behind the write in progress, never awaited: a client that reads again gets that batch,
    // this message and the end of the response; one that does not is cut after the grace.
    void stream.write(sseText('overflow', { dropped: state.dropped, limit }))
    grace = setTimeout(() => {
      stream.abort() // fails the pending write, so the loop below ends
      sub.cut?.()
    }, limits.dropGraceMs)
    // Taken whole (or the stream aborted): nothing of it waits here any more.
    void stream.close().then(() => clearTimeout(grace))
    wake?.()
  }

  // What the client missed since its Last-Event-ID queues first, under the same cap; the
  // subscription above was taken at the same instant, so live entries follow without a gap.
  // `ready` carries the position only on a fresh start: on a resume, the replayed entries' ids
  // say how far the client got, should it drop again before they are written.
  let opening = sseText('ready', sub.ready, start.kind === 'fresh' ? start.position : undefined)
  if (start.kind === 'reset') opening += sseText('reset', resetData(start.reason), start.position)
  const opened = stream.write(opening)
  for (const { item, size } of replay) {
    queue.push(item)
    state.queuedBytes += size
  }
  state.queued = state.peakQueued = queue.length
  state.peakQueuedBytes = state.queuedBytes

  stream.onAbort(() => {
    clearTimeout(grace)
    unsubscribe()
    if (state.status === 'open') state.status = 'closed'
    wake?.()
  })
  try {
    await opened
    while (!stream.aborted && state.status === 'open') {
      if (queue.length === 0) {
        await quiet(limits.heartbeatMs, (w) => (wake = w))
        wake = null
        if (queue.length === 0 && !stream.aborted && state.status === 'open')
          await stream.write(sseText('ping', {}))
        continue
      }
      state.writing = queue.length
      state.queued = state.queuedBytes = 0
      const text = await sub.render(queue.splice(0))
      if (stream.aborted || state.status !== 'open') break
      handed = true
      await stream.write(text)
      handed = false
      state.writing = 0
    }
  } finally {
    // Also when preparing a batch failed: the feed must not keep a listener for a dead stream.
    state.writing = 0
    unsubscribe()
    if (state.status === 'open') state.status = 'closed'
  }
}

/** The data of a `reset` message: why the client's `Last-Event-ID` could not be resumed from. */
export function resetData(reason: 'unknown' | 'too_old') {
  return {
    reason,
    message:
      reason === 'too_old'
        ? 'The entries after Last-Event-ID are no longer held, or are more than this stream may queue: some were missed'
        : 'Last-Event-ID is not one this server can resume from: some entries may have been missed',
  }
}

/** Resolves on the next entry (through `setWake`) or after `ms`; its timer goes either way. */
async function quiet(ms: number, setWake: (wake: () => void) => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await new Promise<void>((resolve) => {
    setWake(resolve)
    timer = setTimeout(resolve, ms)
  })
  clearTimeout(timer)
}
