import { randomUUID } from 'node:crypto'
import type { TestStore } from '../../packages/collector/src/test-support/stores.js'

/** What a fault test reports: the five counts of docs/reliability.md. */
export interface Counts {
  sent: number
  acknowledged: number
  stored: number
  duplicates: number
  lost: number
}

export interface LoadOptions {
  /** Base URL of the collector, or a function (the URL changes when a collector restarts). */
  url: string | (() => string)
  writeKey: string
  events: number
  batchSize: number
  concurrency: number
  /** Keep retrying a batch until it is acknowledged (as the SDK does); false: one attempt. */
  retry: boolean
  /** Gives up retrying after this long (the test then reports the batch as not acknowledged). */
  deadlineMs?: number
  /** A tag in every messageId, so counts can be taken per run. */
  tag: string
  /** Waits before each batch (ms), to keep a load running across a fault window. */
  paceMs?: number
}

export interface LoadResult {
  sent: string[]
  acknowledged: Set<string>
  /** HTTP status (or `network`) → how many answers. */
  answers: Map<string, number>
  attempts: number
  /** Answers other than 200 that broke the contract: a 2xx without success, a 500 … */
  contractBreaks: string[]
  /** The slowest single attempt, in ms (a request the collector held instead of answering). */
  slowestMs: number
}

/**
 * A retrying Segment-style client: batches with fresh messageIds, resent unchanged (same
 * messageIds) on a network error, 5xx or 429 with jittered backoff, as the SDK does.
 */
export function createLoad(opts: LoadOptions) {
  const url = typeof opts.url === 'string' ? () => opts.url as string : opts.url
  const result: LoadResult = {
    sent: [],
    acknowledged: new Set(),
    answers: new Map(),
    attempts: 0,
    contractBreaks: [],
    slowestMs: 0,
  }
  const batches: Record<string, unknown>[][] = []
  for (let i = 0; i < opts.events; i += opts.batchSize) {
    const batch = []
    for (let j = i; j < Math.min(i + opts.batchSize, opts.events); j++) {
      const messageId = `${opts.tag}-${j}-${randomUUID().slice(0, 8)}`
      result.sent.push(messageId)
      // Every tenth event carries an email, so logs can be checked for personal data.
      batch.push(
        j % 10 === 0
          ? {
              type: 'identify',
              anonymousId: `${opts.tag}-visitor-${j % 50}`,
              messageId,
              traits: { email: `visitor-${j % 50}@${opts.tag}.example.org` },
            }
          : {
              type: 'track',
              event: 'Webinar Registered',
              anonymousId: `${opts.tag}-visitor-${j % 50}`,
              messageId,
              properties: { n: j },
            },
      )
    }
    batches.push(batch)
  }
  const auth = `Basic ${btoa(`${opts.writeKey}:`)}`
  const note = (k: string) => result.answers.set(k, (result.answers.get(k) ?? 0) + 1)
  let next = 0
  let acked = 0
  const listeners: { at: number; resolve: () => void }[] = []

  async function sendBatch(batch: (typeof batches)[number]) {
    const deadline = Date.now() + (opts.deadlineMs ?? 60_000)
    for (let attempt = 0; ; attempt++) {
      result.attempts++
      let retryAfter = 0
      const started = Date.now()
      try {
        const res = await fetch(`${url()}/v1/batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ batch }),
          signal: AbortSignal.timeout(15_000),
        })
        note(String(res.status))
        const text = await res.text()
        result.slowestMs = Math.max(result.slowestMs, Date.now() - started)
        if (res.status === 200) {
          const body = JSON.parse(text)
          if (body.success !== true || body.accepted !== batch.length)
            result.contractBreaks.push(`200 ${text.slice(0, 200)}`)
          for (const e of batch) result.acknowledged.add(e.messageId as string)
          acked += batch.length
          for (const l of listeners.filter((l) => acked >= l.at)) l.resolve()
          return
        }
        if (res.status !== 503 && res.status !== 429)
          result.contractBreaks.push(`${res.status} ${text.slice(0, 200)}`)
        if (res.status < 500 && res.status !== 429) return // a 4xx is final, as for the SDK
        retryAfter = Number(res.headers.get('retry-after') ?? 0)
      } catch {
        note('network')
        result.slowestMs = Math.max(result.slowestMs, Date.now() - started)
      }
      if (!opts.retry || Date.now() > deadline) return
      // Honour Retry-After, but cap it: the test's fault windows are short.
      const backoff = Math.min(100 * 2 ** Math.min(attempt, 4), 1000) * (0.5 + Math.random())
      await sleep(Math.min(Math.max(backoff, retryAfter * 1000), 1500))
    }
  }

  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++]!
      if (opts.paceMs) await sleep(opts.paceMs)
      await sendBatch(batch)
    }
  }

  return {
    result,
    /** Runs the whole load; resolves when every batch is acknowledged or given up. */
    run: () => Promise.all(Array.from({ length: opts.concurrency }, worker)).then(() => result),
    /** Resolves once at least `n` events are acknowledged. */
    acknowledgedAtLeast: (n: number) =>
      new Promise<void>((resolve) => (acked >= n ? resolve() : listeners.push({ at: n, resolve }))),
  }
}

/** Stored, duplicated and lost, for the messageIds a load sent, read from PostgreSQL. */
export async function countStored(
  sql: TestStore['sql'],
  workspaceId: string,
  load: LoadResult,
): Promise<Counts> {
  const rows = await sql`select message_id, count(*)::int as n from events
    where workspace_id = ${workspaceId} and message_id = any(${load.sent}::text[])
    group by message_id`
  const stored = new Map(rows.map((r) => [r.message_id as string, r.n as number]))
  let duplicates = 0
  for (const n of stored.values()) duplicates += n - 1
  const lost = [...load.acknowledged].filter((id) => !stored.has(id)).length
  return {
    sent: load.sent.length,
    acknowledged: load.acknowledged.size,
    stored: stored.size,
    duplicates,
    lost,
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Load sizes: a short variant in `pnpm test`, a heavy one under `pnpm test:chaos` (CHAOS=1). */
export const CHAOS = process.env.CHAOS === '1'
export const scale = (ci: number, chaos: number) => (CHAOS ? chaos : ci)

/** A results line the docs table is filled from: `[faults] name {counts}`. */
export function report(name: string, counts: Counts, extra: Record<string, unknown> = {}) {
  console.log(`[faults] ${name} ${JSON.stringify({ ...counts, ...extra })}`)
}
