// The collector's capabilities, as interfaces. `createApp(deps)` takes implementations of these;
// adapters/ holds them (postgres/, memory/, upstash/). Nothing here imports a runtime.

import type { SegmentEvent } from '@lodestone/protocol'
import type { SegmentTransition } from './segments/live.js'
import type { Webhook, WebhookOutbox } from './webhooks/types.js'
import type { ContactAlert, LifecycleStore } from './lifecycle/port.js'

/** Time, injected so tests and the scoring engine never read the wall clock themselves. */
export interface Clock {
  now(): Date
}

export interface Workspace {
  id: string
  name: string
  createdAt: string
}

/** Keys are returned in clear exactly once, at creation; the store keeps only their hashes. */
export interface CreatedWorkspace extends Workspace {
  writeKey: string
  secretKey: string
}

/** An event after validation and enrichment, ready to store. */
export interface EnrichedEvent {
  messageId: string
  type: SegmentEvent['type']
  /** Corrected for client clock skew (Segment's rule). */
  timestamp: string
  /** The timestamp the client sent, uncorrected. */
  originalTimestamp: string | null
  sentAt: string | null
  receivedAt: string
  userId: string | null
  anonymousId: string | null
  event: string | null
  name: string | null
  /** The whole normalised event, in Segment shape, with enrichment merged into `context`. */
  payload: SegmentEvent
}

export interface IngestResult {
  /**
   * Events stored by this call. Not the response's `accepted`, which also counts duplicates:
   * accepted = inserted + duplicates.
   */
  inserted: number
  /** Events whose messageId the workspace already had: acknowledged, not stored again. */
  duplicates: number
  /** Contacts whose score changed, committed with the events. */
  changes: ScoreChange[]
  /** Alerts fired by this call (lifecycle rules), committed with the events. */
  alerts?: ContactAlert[]
  /** Segment entries and exits committed with the events (docs/segments.md). */
  segments?: SegmentTransition[]
  /** Summaries of the stored events, for the live feed. */
  stored: {
    messageId: string
    contactId: string
    type: string
    name: string | null
    /** A page or screen view's path (live/page-path.ts), else null. */
    path: string | null
    timestamp: string
  }[]
}

/** A contact's score after an ingest or rescore, with what it was before. */
export interface ScoreChange {
  contactId: string
  fit: number
  engagement: number
  total: number
  grade: string
  previousTotal: number
  previousGrade: string | null
  at: string
}

// Durable storage, by role. One adapter (adapters/postgres/store.ts) implements every role in one
// object; each consumer names only the roles it uses, so a reader sees what a route touches and a
// test double needs only those methods. New features add a role of their own (e.g.
// `<feature>/port.ts`) injected through AppDeps (deps.ts), not methods here.

/** The database itself: used by the entry points (migrate, close) and `GET /health` (ping). */
export interface StoreAdmin {
  migrate(): Promise<{ applied: string[] }>
  ping(): Promise<void>
  close(): Promise<void>
}

/** Workspaces and their keys: the CLI creates and lists them; auth looks keys up. */
export interface WorkspaceStore {
  createWorkspace(input: { name: string }): Promise<CreatedWorkspace>
  listWorkspaces(): Promise<Workspace[]>
  workspaceByWriteKey(writeKey: string): Promise<Workspace | null>
  workspaceBySecretKey(secretKey: string): Promise<Workspace | null>
}

/** Key lookups only: what the auth middleware needs. */
export type KeyLookup = Pick<WorkspaceStore, 'workspaceByWriteKey' | 'workspaceBySecretKey'>

/** The write path: `POST /v1/batch` and the single-event routes. */
export interface IngestStore {
  /** Stores events durably: when the promise resolves, they are committed. */
  ingest(workspaceId: string, events: EnrichedEvent[]): Promise<IngestResult>
}

/** Contacts through the API and the CLI: read, export, erase. */
export interface ContactStore {
  /** A contact by id (merged-away ids answer with the survivor) or by identifier. */
  getContact(workspaceId: string, ref: ContactRef, now?: Date): Promise<ContactView | null>
  listContacts(
    workspaceId: string,
    filter: ContactListFilter,
  ): Promise<Page<'contacts', ContactSummary>>
  contactEvents(
    workspaceId: string,
    contactId: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<'events', Record<string, unknown>> | null>
  /** GDPR erasure of a contact and everything merged into it; false when unknown. */
  deleteContact(workspaceId: string, contactId: string): Promise<boolean>
}

/** Scoring rules and rescoring. */
export interface ScoringStore {
  /** The workspace's scoring rules (version 0: the built-in defaults). */
  getRules(
    workspaceId: string,
  ): Promise<{ version: number; rules: unknown; updatedAt: string | null }>
  /** Validates and saves a new rules version (CollectorError `invalid_rules` with issues). */
  putRules(workspaceId: string, rules: unknown): Promise<{ version: number }>
  /** Rescores every contact with the current rules, in batches; resumes an unfinished run. */
  rescore(
    workspaceId: string,
    opts?: {
      now?: Date
      onProgress?: (p: { done: number; total: number; changed: number }) => void
      onChanges?: (changes: ScoreChange[]) => void
    },
  ): Promise<{ version: number; done: number; total: number; changed: number }>
}

/** Webhook endpoints and their delivery log (the outbox itself: webhooks/types.ts). */
export interface WebhookAdmin {
  createWebhook(
    workspaceId: string,
    input: { url: string; events: string[]; format?: string; secret?: string },
  ): Promise<Webhook & { secret?: string }>
  listWebhooks(workspaceId: string): Promise<Webhook[]>
  deleteWebhook(workspaceId: string, id: string): Promise<boolean>
  listDeliveries(
    workspaceId: string,
    webhookId: string,
    limit: number,
  ): Promise<Record<string, unknown>[]>
}

/** What the dashboard reads beyond the API's roles (adapters/postgres/dashboard-reads.ts). */
export interface DashboardReads {
  /** The workspace and the key its dashboard sessions are signed with; null when unknown. */
  dashboardSession(
    workspaceId: string,
  ): Promise<{ workspace: Workspace; signingKey: string } | null>
  /** Grades of the current rules, lowest first. */
  scoreGrades(workspaceId: string): Promise<{ name: string; min: number | null }[]>
  /** Contacts by total score that pass the filters, examining at most `budget` per page. */
  searchContacts(
    workspaceId: string,
    query: DashboardContactQuery,
  ): Promise<Page<'contacts', ContactSummary> & { scanned: number; windowFull: boolean }>
  /** The most recent score changes of a contact, oldest first. */
  scoreHistory(workspaceId: string, contactId: string, limit?: number): Promise<ScorePoint[]>
  dashboardOverview(
    workspaceId: string,
    opts: { now: Date; days?: number },
  ): Promise<DashboardOverview>
  /** Name or email, grade and total per contact id, for the live feed. */
  contactLabels(
    workspaceId: string,
    ids: string[],
    now?: Date,
  ): Promise<Record<string, { label: string | null; grade: string | null; total: number }>>
}

/** Every role at once: what the PostgreSQL adapter implements and the entry points hold. */
export interface Store
  extends
    StoreAdmin,
    WorkspaceStore,
    IngestStore,
    ContactStore,
    ScoringStore,
    WebhookAdmin,
    WebhookOutbox,
    DashboardReads,
    LifecycleStore {}

/** The orders of the contacts list (docs/dashboard.md): `grade` orders as `score` does. */
export const CONTACT_SORTS = [
  'score',
  'grade',
  'lastSeen',
  'firstSeen',
  'name',
  'email',
  'lifetimeValue',
  'churnRisk',
] as const
export type ContactSort = (typeof CONTACT_SORTS)[number]

export interface DashboardContactQuery {
  limit: number
  cursor?: string
  /** Contacts examined per page at most (default 5,000). */
  budget?: number
  /** Email prefix or part of a name. */
  search?: string
  grade?: string
  /** `traits.<name>` equals `value`, case-insensitively. */
  trait?: { name: string; value: string }
  /** Subscribed to this topic. */
  topic?: string
  /** Total score within [min, max] (either may be missing). */
  score?: { min?: number; max?: number }
  /** Computed lifecycle traits at least this much. */
  minLifetimeValue?: number
  minChurnRisk?: number
  minOpenTickets?: number
  /** Last seen at or after / before. */
  seenAfter?: Date
  seenBefore?: Date
  /** First-touch campaign source (or referring domain) and campaign name, case-insensitive. */
  source?: string
  campaign?: string
  /** Order (default: total score); descending unless `asc`. */
  sort?: ContactSort
  asc?: boolean
  /** Members of this segment or static list only. */
  segmentId?: string
  /** Members of this account only. */
  accountId?: string
  /** The moment scores are shown at. */
  now?: Date
}

export interface ScorePoint {
  at: string
  fit: number
  engagement: number
  total: number
  grade: string
}

export interface DashboardOverview {
  total: number
  distribution: { from: number; to: number; count: number }[]
  grades: { grade: string; count: number }[]
  newPerDay: { day: string; count: number }[]
  hotGrade: string | null
  hotLeads: ContactSummary[]
}

export type ContactRef = { id: string } | { kind: string; value: string }

export type Page<K extends string, T> = { [P in K]: T[] } & { next: string | null }

export interface ContactListFilter {
  sort: 'lastSeen' | 'score'
  limit: number
  cursor?: string
  /** Exact string match on `traits.<name>`. */
  traits?: Record<string, string>
  /** Members of this segment or static list only (docs/segments.md). */
  segmentId?: string
  /** Members of this account only (docs/accounts.md). */
  accountId?: string
  /** The moment scores are shown at (default: the store's clock). */
  now?: Date
}

export interface ContactSummary {
  id: string
  traits: Record<string, unknown>
  firstSeen: string
  lastSeen: string
  [extra: string]: unknown
}

export interface ContactView extends ContactSummary {
  identities: { kind: string; value: string; linkedAt: string }[]
  firstTouch: Record<string, unknown> | null
  mergedFrom: { id: string; at: string; reason: unknown }[]
  conflicts: { contactId: string; kind: string; value: string; messageId: string; at: string }[]
}

/** One entry of a live feed; ids are Redis stream ids (`<ms>-<seq>`), increasing within a feed. */
export interface FeedEntry {
  id: string
  entry: string
}

/**
 * Fast, losable state (Redis through Upstash, or in-process): counters for rate limits and capped
 * feeds for the live stream, nothing else. PostgreSQL stays the source of truth: every use must be
 * correct when it is empty or unreachable. Every method may reject (outage, timeout); callers
 * decide whether that is fatal (it rarely is).
 */
export interface HotState extends HotCounters, HotFeeds {
  close?(): Promise<void>
}

/** Expiring integer counters: the rate limiter's windows (hot-state/rate-limit.ts). */
export interface HotCounters {
  /** A counter's value as Redis holds it (a decimal string), or null when absent or expired. */
  get(key: string): Promise<string | null>
  /** Increments a counter, creating it with the TTL when new; returns the new value. */
  incr(key: string, by?: number, ttlSeconds?: number): Promise<number>
}

/** Capped, append-only feeds: the live stream between collector processes (live/feed.ts). */
export interface HotFeeds {
  /** Appends to a capped feed (about `maxLen` newest entries kept); returns the entry's id. */
  feedAppend(stream: string, entry: string, maxLen: number): Promise<string>
  /**
   * Entries after `afterId`, oldest first, at most `limit`. With `afterId` null: the newest
   * `limit` entries (where a live view starts), still oldest first.
   */
  feedRead(stream: string, afterId: string | null, limit: number): Promise<FeedEntry[]>
}
