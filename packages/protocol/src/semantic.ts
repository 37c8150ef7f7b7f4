/** Semantic event names the SDK emits (Segment naming: Object Action, Title Case). */
export const SEMANTIC_EVENTS = {
  formSubmitted: 'Form Submitted',
  subscriptionPreferencesUpdated: 'Subscription Preferences Updated',
  consentUpdated: 'Consent Updated',
  chatStarted: 'Chat Started',
  chatMessageSent: 'Chat Message Sent',
  chatContactCaptured: 'Chat Contact Captured',
  pageEngaged: 'Page Engaged',
  fileDownloaded: 'File Downloaded',
  outboundLinkClicked: 'Outbound Link Clicked',
  contactGradeChanged: 'Contact Grade Changed',
  dealWon: 'Deal Won',
  dealLost: 'Deal Lost',
  orderCompleted: 'Order Completed',
  ticketCreated: 'Ticket Created',
  ticketResolved: 'Ticket Resolved',
  surveyResponded: 'Survey Responded',
} as const

export type SemanticEventName = (typeof SEMANTIC_EVENTS)[keyof typeof SEMANTIC_EVENTS]

/** Subscription status values carried by `Subscription Preferences Updated`. */
export type SubscriptionStatus = 'subscribed' | 'unsubscribed'

/** Segment's event types. */
export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const
export type EventType = (typeof EVENT_TYPES)[number]
