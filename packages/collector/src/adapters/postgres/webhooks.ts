import type { Sql } from 'postgres'
import type { Tx } from './contact-rows.js'
import type { Delivery, DeliveryOutcome, Webhook, WebhookEvent } from '../../webhooks/types.js'

type Guard = <T>(fn: () => Promise<T>) => Promise<T>

/** Writes webhook deliveries for `events` in the transaction `tx`. */
export type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

const MAX_ATTEMPTS = 10
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : (d as string))

/** Which endpoints of a workspace want which events; cached briefly so ingest rarely asks. */
function createSubscriberCache(ttlMs = 2000) {
  const cache = new Map<string, { until: number; hooks: { id: string; events: string[] }[] }>()
  return {
    async get(tx: Tx, workspaceId: string) {
      const hit = cache.get(workspaceId)
      if (hit && hit.until > Date.now()) return hit.hooks
      const hooks = (
        await tx`select id, events from webhooks where workspace_id = ${workspaceId} and active`
      ).map((r) => ({ id: r.id as string, events: r.events as string[] }))
      cache.set(workspaceId, { until: Date.now() + ttlMs, hooks })
      return hooks
    },
    forget(workspaceId: string) {
      cache.delete(workspaceId)
    },
  }
}

/** Webhook endpoints and their durable outbox: deliveries are written with the change itself. */
export function createWebhookStore(sql: Sql, guard: Guard) {
  const subscribers = createSubscriberCache()

  /**
   * The outbox of a workspace in the caller's transaction, bound to its current subscribers (read
   * here, or from the brief cache): the function it resolves to sends its insert before it
   * returns, so the caller may send COMMIT right behind it (adapters/postgres/pipelined-tx.ts).
   */
  async function outboxFor(tx: Tx, workspaceId: string): Promise<Enqueue> {
    const hooks = await subscribers.get(tx, workspaceId)
    return (tx, workspaceId, events) => {
      const rows: Record<string, unknown>[] = []
      for (const e of events) {
        for (const h of hooks) {
          if (!h.events.includes('*') && !h.events.includes(e.type)) continue
          rows.push({
            webhook_id: h.id,
            event_type: e.type,
            contact_id: e.contactId,
            payload: {
              id: crypto.randomUUID(),
              type: e.type,
              workspaceId,
              contactId: e.contactId,
              at: e.at,
              data: e.data,
            },
          })
        }
      }
      if (rows.length === 0) return Promise.resolve()
      return tx`insert into webhook_deliveries (workspace_id, webhook_id, event_type, contact_id, payload)
      select ${workspaceId}, v.webhook_id, v.event_type, v.contact_id, v.payload
      from jsonb_to_recordset(${tx.json(rows as never)}) as v(webhook_id text, event_type text, contact_id uuid, payload jsonb)`
        .execute()
        .then(() => undefined)
    }
  }

  /** Writes deliveries for `events` in the caller's transaction (the outbox pattern). */
  async function enqueue(tx: Tx, workspaceId: string, events: WebhookEvent[]) {
    if (events.length === 0) return
    await (
      await outboxFor(tx, workspaceId)
    )(tx, workspaceId, events)
  }

  const toWebhook = (r: Record<string, unknown>): Webhook => ({
    id: r.id as string,
    url: r.url as string,
    events: r.events as string[],
    active: r.active as boolean,
    format: (r.format as string | undefined) ?? 'lodestone',
    createdAt: iso(r.created_at),
  })

  return {
    enqueueWebhookEvents: enqueue,
    outboxFor,

    /**
     * A chat destination (`format` other than `lodestone`) keeps the vendor's signing secret
     * (`input.secret`, empty when the bot does not sign); a Lodestone endpoint gets a new one.
     */
    async createWebhook(
      workspaceId: string,
      input: { url: string; events: string[]; format?: string; secret?: string },
    ) {
      const id = `wh_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
      const format = input.format ?? 'lodestone'
      const bytes = new Uint8Array(24)
      crypto.getRandomValues(bytes)
      const secret =
        format === 'lodestone'
          ? `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
          : (input.secret ?? '')
      const [row] = await guard(
        () => sql`insert into webhooks (id, workspace_id, url, secret, events, format)
        values (${id}, ${workspaceId}, ${input.url}, ${secret}, ${input.events}, ${format})
        returning *`,
      )
      subscribers.forget(workspaceId)
      return format === 'lodestone' ? { ...toWebhook(row!), secret } : toWebhook(row!)
    },

    async listWebhooks(workspaceId: string) {
      const rows = await guard(
        () => sql`select * from webhooks where workspace_id = ${workspaceId} order by created_at`,
      )
      return rows.map(toWebhook)
    },

    async deleteWebhook(workspaceId: string, id: string) {
      const rows = await guard(
        () =>
          sql`delete from webhooks where workspace_id = ${workspaceId} and id = ${id} returning id`,
      )
      subscribers.forget(workspaceId)
      return rows.length > 0
    },

    async listDeliveries(workspaceId: string, webhookId: string, limit: number) {
      const rows = await guard(
        () => sql`select id, event_type, status, attempts, last_status, last_error,
          created_at, delivered_at, next_attempt_at, payload
        from webhook_deliveries where workspace_id = ${workspaceId} and webhook_id = ${webhookId}
        order by id desc limit ${limit}`,
      )
      return rows.map((r) => ({
        id: String(r.id),
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        createdAt: iso(r.created_at),
        deliveredAt: r.delivered_at ? iso(r.delivered_at) : null,
        nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
        payload: r.payload,
      }))
    },

    /**
     * Claims due deliveries for one worker: `for update skip locked` lets several collector
     * processes share the outbox; a claim pushes the next attempt out so a crashed worker's
     * claims come back after the lease.
     */
    async claimDeliveries(limit: number, leaseSeconds = 60): Promise<Delivery[]> {
      const rows = await guard(
        () => sql`update webhook_deliveries d set attempts = d.attempts + 1,
          next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
        from webhooks w
        where d.id in (select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at limit ${limit} for update skip locked)
          and w.id = d.webhook_id
        returning d.id, d.webhook_id, w.url, w.secret, w.format, d.event_type, d.payload, d.attempts`,
      )
      return rows.map((r) => ({
        id: String(r.id),
        webhookId: r.webhook_id,
        url: r.url,
        secret: r.secret,
        eventType: r.event_type,
        payload: r.payload,
        attempts: r.attempts,
        format: r.format,
      }))
    },

    async finishDelivery(id: string, outcome: DeliveryOutcome) {
      await guard(() =>
        outcome.ok
          ? sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), last_status = ${outcome.status},
              last_error = null where id = ${id}`
          : sql`update webhook_deliveries set last_status = ${outcome.status}, last_error = ${outcome.error},
              status = ${outcome.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending'},
              next_attempt_at = now() + make_interval(secs => ${outcome.retryInSeconds}) where id = ${id}`,
      )
    },
  }
}
