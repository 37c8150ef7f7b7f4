import { connect, type NatsConnection } from '@nats-io/transport-node'
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream'
import type { EnrichedEvent, IngestResult } from '../ports.js'
import type { LiveEntry } from '../live/feed.js'
import { batchFacts, changeEntries } from '../live/publish.js'
import { alertEntries } from '../routes/lifecycle-ingest.js'
import { segmentEntries } from '../segments/live.js'
import { CollectorError } from '../errors.js'
import type { EventLog } from './port.js'

export interface LogConfig {
  /** NATS servers, comma-separated (`NATS_URL`). */
  servers: string
  /** Copies of the stream kept by the JetStream cluster (`LODESTONE_LOG_REPLICAS`, default 1). */
  replicas?: number
  /** Partitions of the stream (`LODESTONE_LOG_PARTITIONS`, default 8); fixed once created. */
  partitions?: number
  /** Stream name (default LODESTONE_EVENTS); tests use their own. */
  stream?: string
  /** Redelivery after an unacknowledged fetch (`LODESTONE_LOG_ACK_WAIT_MS`, default 30 s). */
  ackWaitMs?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SUBJECT = 'lodestone.events'
const COMMITTED = 'lodestone.committed'
/** How long an append keeps retrying while the stream elects a new leader. */
const APPEND_DEADLINE_MS = 20_000
/** How long start-up waits for a forming cluster to accept the stream. */
const STARTUP_DEADLINE_MS = 90_000

interface Settings {
  stream: string
  subject: string
  committed: string
  partitions: number
  replicas: number
}

const settingsOf = (cfg: LogConfig): Settings => {
  const stream = cfg.stream ?? 'LODESTONE_EVENTS'
  const suffix = cfg.stream ? `.${cfg.stream}` : ''
  return {
    stream,
    subject: `${SUBJECT}${suffix}`,
    committed: `${COMMITTED}${suffix}`,
    partitions: cfg.partitions ?? 8,
    replicas: cfg.replicas ?? 1,
  }
}

/** The partition of an event: by workspace and visitor, so one visitor's events stay together. */
export function partitionOf(workspaceId: string, e: EnrichedEvent, partitions: number): number {
  const previousId = (e.payload as { previousId?: unknown }).previousId
  const visitor =
    e.anonymousId ?? e.userId ?? (typeof previousId === 'string' ? previousId : e.messageId)
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5
  const key = `${workspaceId}\u001f${visitor}`
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % partitions
}

async function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: servers.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Every JetStream publish is a request; with async traces each one also builds two Error
    // objects (stack captured) in case it fails: about 8 % of the capture tier's CPU in the
    // log-mode benchmark's profile. Failures still say what failed, without the caller's stack.
    noAsyncTraces: true,
  })
}

/** JetStream's management API, once the cluster answers (a new cluster first elects a leader). */
export async function jetStreamReady(nc: NatsConnection, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await jetstreamManager(nc)
    } catch (err) {
      if (Date.now() > deadline) throw err
      await sleep(500)
    }
  }
}

/**
 * Creates the stream when missing (the first process to start does it). A cluster that is still
 * forming answers "temporarily unavailable" while it elects its meta leader and "no suitable
 * peers for placement" until it knows enough servers for the replicas; both pass, so start-up
 * keeps trying for STARTUP_DEADLINE_MS (a collector started beside its cluster, as in a compose
 * file, must not exit because the cluster was slower to form).
 */
async function ensureStream(nc: NatsConnection, s: Settings) {
  const jsm = await jetStreamReady(nc)
  const deadline = Date.now() + STARTUP_DEADLINE_MS
  for (;;) {
    try {
      await jsm.streams.info(s.stream)
      return
    } catch (err) {
      if (/not found/i.test(String(err))) {
        try {
          await jsm.streams.add({
            name: s.stream,
            subjects: [`${s.subject}.*`],
            retention: RetentionPolicy.Workqueue,
            storage: StorageType.File,
            num_replicas: s.replicas,
            duplicate_window: 120_000_000_000,
          })
          return
        } catch (addErr) {
          if (/already in use|exists/i.test(String(addErr))) return
          if (Date.now() > deadline) throw addErr
        }
      } else if (Date.now() > deadline) throw err
    }
    await sleep(500)
  }
}

/** Publishes with the message id, retrying through a leader election until the deadline. */
async function publish(js: JetStreamClient, subject: string, data: string, msgID: string) {
  const deadline = Date.now() + APPEND_DEADLINE_MS
  for (let attempt = 0; ; attempt++) {
    try {
      return await js.publish(subject, data, { msgID, timeout: 5000 })
    } catch (err) {
      if (Date.now() > deadline) {
        throw new CollectorError('store_unavailable', 'The event log is unavailable', {
          cause: err,
        })
      }
      await sleep(Math.min(1000, 100 * 2 ** attempt))
    }
  }
}

/** The collector's side of log mode: append, and hear what processors committed. */
export async function createNatsEventLog(cfg: LogConfig): Promise<EventLog> {
  const s = settingsOf(cfg)
  const nc = await connectNats(cfg.servers, 'lodestone-collector')
  await ensureStream(nc, s)
  const js = jetstream(nc)
  const waiters = new Map<string, Set<() => void>>()
  const listeners: ((workspaceId: string, entries: LiveEntry[]) => void)[] = []
  const key = (ws: string, id: string) => `${ws}\u001f${id}`
  nc.subscribe(`${s.committed}.*`, {
    callback: (err, msg) => {
      if (err) return
      const note = JSON.parse(msg.string()) as { w: string; ids: string[]; entries: LiveEntry[] }
      for (const id of note.ids) {
        const set = waiters.get(key(note.w, id))
        if (set) for (const done of set) done()
      }
      if (note.entries.length > 0) for (const l of listeners) l(note.w, note.entries)
    },
  })
  return {
    async append(workspaceId, events) {
      const acks = await Promise.all(
        events.map((e) =>
          publish(
            js,
            `${s.subject}.${partitionOf(workspaceId, e, s.partitions)}`,
            JSON.stringify({ w: workspaceId, e }),
            `${workspaceId}:${e.messageId}`,
          ),
        ),
      )
      return { duplicateIds: events.filter((_, i) => acks[i]!.duplicate).map((e) => e.messageId) }
    },
    expectProcessed(workspaceId, messageIds, timeoutMs) {
      const left = new Set(messageIds)
      const registered: [string, () => void][] = []
      let resolve!: (ok: boolean) => void
      const done = new Promise<boolean>((r) => (resolve = r))
      const finish = (ok: boolean) => {
        clearTimeout(timer)
        for (const [k, fn] of registered) {
          const set = waiters.get(k)
          set?.delete(fn)
          if (set?.size === 0) waiters.delete(k)
        }
        resolve(ok)
      }
      const timer = setTimeout(() => finish(false), timeoutMs)
      const tick = (id: string) => {
        left.delete(id)
        if (left.size === 0) finish(true)
      }
      for (const id of left) {
        const k = key(workspaceId, id)
        const fn = () => tick(id)
        const set = waiters.get(k) ?? new Set()
        set.add(fn)
        waiters.set(k, set)
        registered.push([k, fn])
      }
      if (left.size === 0) finish(true)
      return { done, skip: (ids) => ids.forEach(tick) }
    },
    onCommitted(listener) {
      listeners.push(listener)
    },
    async close() {
      await nc.drain()
    },
  }
}

/** What a processor needs of the store. */
export interface ProcessorStore {
  ingest(workspaceId: string, events: EnrichedEvent[]): Promise<IngestResult>
}

export interface ProcessorOptions {
  store: ProcessorStore
  /** Most messages fetched (and committed together) per partition at once (default 500). */
  batchSize?: number
  /** How long a workspace whose commit failed waits before its messages are tried again (1 s). */
  retryMs?: number
  /** How long the next batch waits for a slow workspace of this one (default 1 s). */
  settleMs?: number
  log?: (message: string, detail?: Record<string, unknown>) => void
}

/**
 * `lodestone process`: consumes every partition through a durable pull consumer per partition
 * (shared by all processors: JetStream hands each message to one of them), commits each fetched
 * batch through the batch pipeline (one transaction per workspace in it), announces what was
 * committed (live feed, `?wait=processed`) and acknowledges only then. A message redelivered
 * after a crash is stored once: the store deduplicates by (workspace, messageId).
 */
export async function startProcessor(cfg: LogConfig, opts: ProcessorOptions) {
  const s = settingsOf(cfg)
  const nc = await connectNats(cfg.servers, 'lodestone-processor')
  await ensureStream(nc, s)
  const jsm = await jetStreamReady(nc)
  const js = jetstream(nc)
  const batchSize = opts.batchSize ?? 500
  let stopped = false
  const processed = { batches: 0, events: 0 }

  async function consumerFor(p: number) {
    const name = `lodestone-p${p}`
    for (;;) {
      try {
        await jsm.consumers.add(s.stream, {
          durable_name: name,
          filter_subject: `${s.subject}.${p}`,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: (cfg.ackWaitMs ?? 30_000) * 1_000_000,
          max_ack_pending: 20_000,
          num_replicas: s.replicas,
        })
      } catch (err) {
        if (!/already in use|exists/i.test(String(err))) {
          if (stopped) throw err
          await sleep(500)
          continue
        }
      }
      return js.consumers.get(s.stream, name)
    }
  }

  const ackWaitMs = cfg.ackWaitMs ?? 30_000
  const retryMs = opts.retryMs ?? 1000
  const settleMs = opts.settleMs ?? 1000

  /** Commits one workspace's messages to its shard, announces them, then acknowledges them. */
  async function commitWorkspace(w: string, msgs: JsMsg[]) {
    const events = msgs.map((m) => m.json<{ w: string; e: EnrichedEvent }>().e)
    const result = await opts.store.ingest(w, events)
    const entries: LiveEntry[] = []
    if (result.stored.length > 0)
      entries.push({ kind: 'events', events: result.stored, ...batchFacts(result.changes) })
    entries.push(
      ...alertEntries(result.alerts),
      ...segmentEntries(result.segments),
      ...changeEntries(result.changes),
    )
    nc.publish(
      `${s.committed}.${w}`,
      JSON.stringify({ w, ids: events.map((e) => e.messageId), entries }),
    )
    for (const m of msgs) m.ack()
    processed.batches++
    processed.events += msgs.length
  }

  /**
   * One partition: messages stream in (`consume()` keeps a pull of up to `batchSize` open);
   * whatever arrived while the previous batch was committing is the next batch, as group commit
   * does in request mode, so a quiet partition commits at once and a busy one in large batches.
   * A batch holds workspaces of several shards (docs/scaling.md, "A shard down"): each
   * workspace commits on its own, in order after its previous messages, and is acknowledged
   * when it has; one that fails (its shard down, or the workspace being moved) is left for
   * redelivery (nak with a delay) and its later messages with it until that delay has passed,
   * so none is committed ahead of the failed ones meanwhile; the others go on. The next batch
   * waits for this one at most `settleMs`: a slow shard holds up its own workspaces only.
   */
  async function run(p: number) {
    const consumer = await consumerFor(p)
    const messages = await consumer.consume({ max_messages: batchSize })
    const buffer: JsMsg[] = []
    const idle = () => {}
    let wake: () => void = idle
    const reader = (async () => {
      for await (const m of messages) {
        buffer.push(m)
        wake()
      }
    })()
    /** Per workspace: its commits in flight, in order, and how many messages they hold. */
    const chains = new Map<string, { tail: Promise<void>; pending: number }>()
    /** Per workspace whose commit failed: until when its messages go back to the log. */
    const failedUntil = new Map<string, number>()
    const later = (msgs: JsMsg[], ms: number) => {
      for (const m of msgs) m.nak(Math.max(100, Math.ceil(ms)))
    }
    function enqueue(w: string, msgs: JsMsg[]): Promise<void> {
      const chain = chains.get(w) ?? { tail: Promise.resolve(), pending: 0 }
      // A workspace whose shard is slow must not gather the partition's whole window.
      if (chain.pending >= 2 * batchSize) {
        later(msgs, retryMs)
        return Promise.resolve()
      }
      chain.pending += msgs.length
      const tail = chain.tail.then(async () => {
        const until = failedUntil.get(w) ?? 0
        if (Date.now() < until) return later(msgs, until - Date.now())
        // Held messages (a move, a slow shard) are not redelivered meanwhile.
        const working = setInterval(() => msgs.forEach((m) => m.working()), ackWaitMs / 3)
        try {
          await commitWorkspace(w, msgs)
          failedUntil.delete(w)
        } catch (err) {
          opts.log?.('log processor: a workspace’s events failed, will be redelivered', {
            partition: p,
            events: msgs.length,
            error: (err as Error).message,
          })
          failedUntil.set(w, Date.now() + retryMs)
          later(msgs, retryMs)
        } finally {
          clearInterval(working)
          chain.pending -= msgs.length
          if (chain.pending === 0 && chains.get(w) === chain) chains.delete(w)
        }
      })
      chain.tail = tail
      chains.set(w, chain)
      return tail
    }
    while (!stopped) {
      if (buffer.length === 0) {
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, 250)
        })
        wake = idle
        continue
      }
      const batch = buffer.splice(0, batchSize)
      const byWorkspace = new Map<string, JsMsg[]>()
      for (const m of batch) {
        const { w } = m.json<{ w: string }>()
        const list = byWorkspace.get(w) ?? []
        list.push(m)
        byWorkspace.set(w, list)
      }
      const commits = [...byWorkspace].map(([w, msgs]) => enqueue(w, msgs))
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([
        Promise.allSettled(commits),
        new Promise((r) => (timer = setTimeout(r, settleMs))),
      ])
      clearTimeout(timer)
    }
    await Promise.allSettled([...chains.values()].map((c) => c.tail))
    await messages.close()
    await reader
  }

  const loops = Array.from({ length: s.partitions }, (_, p) => run(p))
  return {
    processed,
    async stop() {
      stopped = true
      await Promise.allSettled(loops)
      await nc.drain()
    },
  }
}
