import { channel } from 'node:diagnostics_channel'
import type { EnrichedEvent, IngestResult } from '../../ports.js'
import { CollectorError } from '../../errors.js'

type Ingest = (workspaceId: string, events: EnrichedEvent[]) => Promise<IngestResult>

interface Waiting {
  events: EnrichedEvent[]
  resolve: (r: IngestResult) => void
  reject: (err: unknown) => void
  /** `performance.now()` when the request joined the queue. */
  queuedAt: number
}

/** What one group's commit reports on {@link GROUP_COMMIT_CHANNEL}. */
export interface GroupCommitTiming {
  /** Each request's wait in the queue before its group's transaction started (ms). */
  queuedMs: number[]
  /** The group's ingest (its transaction, retries included) until it settled (ms). */
  ingestMs: number
  events: number
}

/**
 * A `node:diagnostics_channel` channel: each group's queue waits and ingest time, published only
 * while something subscribes (the benchmark's stall probe, bench/lib/stall-probe.mjs), so it
 * costs nothing otherwise.
 */
export const GROUP_COMMIT_CHANNEL = 'lodestone:group-commit'
const timings = channel(GROUP_COMMIT_CHANNEL)

export interface GroupCommitOptions {
  /** Ingest transactions of one workspace running at once; requests arriving meanwhile wait. */
  maxInFlight?: number
  /** A group stops taking requests past this many events. */
  maxEvents?: number
}

/**
 * Group commit of concurrent requests: while a workspace's transactions are all busy, requests
 * queue, and the next transaction takes the whole queue as one batch (one lock pass, one insert
 * per table, one commit and fsync for all of them). Each request still gets only its own
 * outcome, and is acknowledged only after that commit. When a group fails for a reason other
 * than an outage, its requests are run again one by one, so one bad request fails alone.
 */
export function createGroupCommit(ingest: Ingest, opts: GroupCommitOptions = {}) {
  const maxInFlight = opts.maxInFlight ?? 2
  const maxEvents = opts.maxEvents ?? 1000
  const queues = new Map<string, { waiting: Waiting[]; inFlight: number }>()

  function pump(workspaceId: string) {
    const q = queues.get(workspaceId)
    if (!q) return
    while (q.inFlight < maxInFlight && q.waiting.length > 0) {
      let events = 0
      let take = 0
      while (
        take < q.waiting.length &&
        (take === 0 || events + q.waiting[take]!.events.length <= maxEvents)
      )
        events += q.waiting[take++]!.events.length
      const group = q.waiting.splice(0, take)
      q.inFlight++
      void run(workspaceId, group).finally(() => {
        q.inFlight--
        if (q.inFlight === 0 && q.waiting.length === 0) queues.delete(workspaceId)
        else pump(workspaceId)
      })
    }
  }

  async function run(workspaceId: string, group: Waiting[]) {
    if (!timings.hasSubscribers) return commitGroup(workspaceId, group)
    const started = performance.now()
    try {
      await commitGroup(workspaceId, group)
    } finally {
      const timing: GroupCommitTiming = {
        queuedMs: group.map((w) => started - w.queuedAt),
        ingestMs: performance.now() - started,
        events: group.reduce((n, w) => n + w.events.length, 0),
      }
      timings.publish(timing)
    }
  }

  async function commitGroup(workspaceId: string, group: Waiting[]) {
    if (group.length === 1) {
      const [only] = group
      return ingest(workspaceId, only!.events).then(only!.resolve, only!.reject)
    }
    let result: IngestResult
    try {
      result = await ingest(
        workspaceId,
        group.flatMap((w) => w.events),
      )
    } catch (err) {
      if (err instanceof CollectorError && err.code === 'store_unavailable') {
        for (const w of group) w.reject(err)
        return
      }
      for (const w of group) await ingest(workspaceId, w.events).then(w.resolve, w.reject)
      return
    }
    for (const [i, part] of split(group, result).entries()) group[i]!.resolve(part)
  }

  return (workspaceId: string, events: EnrichedEvent[]) =>
    new Promise<IngestResult>((resolve, reject) => {
      let q = queues.get(workspaceId)
      if (!q) queues.set(workspaceId, (q = { waiting: [], inFlight: 0 }))
      q.waiting.push({ events, resolve, reject, queuedAt: performance.now() })
      pump(workspaceId)
    })
}

/**
 * Each request's share of a group's outcome: a stored event goes to the first request that
 * carried its messageId (the rule of ingest/first-by-message-id.ts, which picked that copy); a score change or alert to the last request with an event of that
 * contact (the first request when none had one, e.g. a contact changed by a merge), so every
 * change is published exactly once.
 */
export function split(
  group: readonly { events: readonly Pick<EnrichedEvent, 'messageId'>[] }[],
  result: IngestResult,
): IngestResult[] {
  const owner = new Map<string, number>()
  group.forEach((w, i) => {
    for (const e of w.events) if (!owner.has(e.messageId)) owner.set(e.messageId, i)
  })
  const parts: IngestResult[] = group.map(() => ({
    inserted: 0,
    duplicates: 0,
    changes: [],
    stored: [],
    ...(result.alerts ? { alerts: [] } : {}),
    ...(result.segments ? { segments: [] } : {}),
  }))
  const contactOwner = new Map<string, number>()
  for (const s of result.stored) {
    const i = owner.get(s.messageId) ?? 0
    parts[i]!.stored.push(s)
    parts[i]!.inserted++
    contactOwner.set(s.contactId, Math.max(contactOwner.get(s.contactId) ?? 0, i))
  }
  for (const c of result.changes) parts[contactOwner.get(c.contactId) ?? 0]!.changes.push(c)
  for (const a of result.alerts ?? []) parts[contactOwner.get(a.contactId) ?? 0]!.alerts!.push(a)
  for (const t of result.segments ?? [])
    parts[contactOwner.get(t.contactId) ?? 0]!.segments!.push(t)
  group.forEach((w, i) => (parts[i]!.duplicates = w.events.length - parts[i]!.inserted))
  return parts
}
