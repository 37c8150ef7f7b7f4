import type { Analytics } from '@segment/analytics-node'

const DAY = 86_400_000

/**
 * One customer's lifecycle, as a shop and a help desk would report it from their servers:
 * a won deal, two orders, three support tickets within a week and a poor CSAT answer.
 * Times are relative to `now` so the story is always recent (tickets count in 30-day windows).
 *
 * @example
 * const analytics = new Analytics({ writeKey: 'sk_…', host: 'http://localhost:8787' })
 * sendCustomerStory(analytics, { userId: 'cust-42' })
 * await analytics.closeAndFlush()
 */
export function sendCustomerStory(analytics: Analytics, who: StoryOptions): void {
  sendPurchaseHistory(analytics, who)
  sendSupportTrouble(analytics, who)
}

export interface StoryOptions {
  userId: string
  now?: Date
}

const daysBefore = (now: Date) => (days: number) => new Date(now.getTime() - days * DAY)

/** The good part: a CRM contact, a won deal and two orders (LTV 300 × 2/year × 3 years). */
export function sendPurchaseHistory(
  analytics: Analytics,
  { userId, now = new Date() }: StoryOptions,
): void {
  const at = daysBefore(now)
  // Sent as the people in a CRM typed them; the collector normalises them.
  const traits: Record<string, unknown> = {
    email: ' Ana@Acme.example ',
    name: 'Ana López',
    company: 'Acme Inc',
    country: 'Deutschland',
    phone: '030 1234567',
  }
  analytics.identify({ userId, timestamp: at(60), traits })
  analytics.track({
    userId,
    event: 'Deal Won',
    timestamp: at(59),
    properties: { dealId: 'D-1', amount: 12000, currency: 'EUR', reason: 'product fit' },
  })
  analytics.track({
    userId,
    event: 'Order Completed',
    timestamp: at(58),
    properties: { orderId: 'O-1', revenue: 400, currency: 'EUR' },
  })
  analytics.track({
    userId,
    event: 'Order Completed',
    timestamp: at(20),
    properties: { orderId: 'O-2', revenue: 200, currency: 'EUR' },
  })
}

/** The trouble: three tickets within a week, then a CSAT of 2. */
export function sendSupportTrouble(
  analytics: Analytics,
  { userId, now = new Date() }: StoryOptions,
): void {
  const at = daysBefore(now)
  const tickets = [
    { ticketId: 101, category: 'Billing', daysAgo: 6 },
    { ticketId: 102, category: 'Bug', daysAgo: 4 },
    { ticketId: 103, category: 'Bug', daysAgo: 1, priority: 'high' },
  ]
  for (const { daysAgo, ...ticket } of tickets) {
    analytics.track({ userId, event: 'Ticket Created', timestamp: at(daysAgo), properties: ticket })
  }
  analytics.track({
    userId,
    event: 'Survey Responded',
    timestamp: at(0.5),
    properties: { kind: 'csat', score: 2, reason: 'poor support', comment: 'Slow replies' },
  })
}
