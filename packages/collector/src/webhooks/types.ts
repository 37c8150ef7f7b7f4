/** Event types a webhook can subscribe to (`*` for all). */
export const WEBHOOK_EVENTS = [
  'contact.grade_changed',
  'contact.score_changed',
  'contact.traits_changed',
  'contact.subscription_changed',
  'contact.merged',
  'alert.fired',
  'segment.entered',
  'segment.exited',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

/** One thing to tell webhooks about; becomes one delivery per matching endpoint. */
export interface WebhookEvent {
  type: WebhookEventType
  contactId: string | null
  data: Record<string, unknown>
  at: string
}

export interface Webhook {
  id: string
  url: string
  events: string[]
  active: boolean
  /** `lodestone` (signed JSON) or a chat format: slack, feishu, dingtalk, wecom. */
  format?: string
  createdAt: string
}

export interface Delivery {
  id: string
  webhookId: string
  url: string
  secret: string
  eventType: string
  payload: Record<string, unknown>
  attempts: number
  /** `lodestone` (signed JSON) or a chat format (webhooks/chat-formats.ts). */
  format?: string
}

/** How one delivery attempt ended, and when to try again if it failed. */
export interface DeliveryOutcome {
  ok: boolean
  status: number | null
  error: string | null
  attempts: number
  retryInSeconds: number
}

/** The outbox the delivery worker drains. */
export interface WebhookOutbox {
  claimDeliveries(limit: number, leaseSeconds?: number): Promise<Delivery[]>
  finishDelivery(id: string, outcome: DeliveryOutcome): Promise<void>
}
