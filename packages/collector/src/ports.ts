// The collector's capabilities, as interfaces. `createApp(deps)` takes implementations of these;
// adapters/ holds them (postgres/, memory/, upstash/). Nothing here imports a runtime.

import type { SegmentEvent } from '@lodestone/protocol'

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
  /** Events stored by this call. */
  accepted: number
  /** Events whose messageId the workspace already had: acknowledged, not stored again. */
  duplicates: number
  /** Contacts whose score changed, committed with the events. */
  changes: ScoreChange[]
  /** Summaries of the stored events, for the live feed. */
  stored: {
    messageId: string
    contactId: string
    type: string
    name: string | null
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

/** Durable storage: PostgreSQL (server or embedded PGlite) through one adapter. */
export interface Store {
  migrate(): Promise<{ applied: string[] }>
  ping(): Promise<void>
  close(): Promise<void>
  createWorkspace(input: { name: string }): Promise<CreatedWorkspace>
  listWorkspaces(): Promise<Workspace[]>
  workspaceByWriteKey(writeKey: string): Promise<Workspace | null>
  workspaceBySecretKey(secretKey: string): Promise<Workspace | null>
  /** Stores events durably: when the promise resolves, they are committed. */
  ingest(workspaceId: string, events: EnrichedEvent[]): Promise<IngestResult>
  /** A contact by id (merged-away ids answer with the survivor) or by identifier. */
  getContact(workspaceId: string, ref: ContactRef): Promise<ContactView | null>
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

export type ContactRef = { id: string } | { kind: string; value: string }

export type Page<K extends string, T> = { [P in K]: T[] } & { next: string | null }

export interface ContactListFilter {
  sort: 'lastSeen' | 'score'
  limit: number
  cursor?: string
  /** Exact string match on `traits.<name>`. */
  traits?: Record<string, string>
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
 * Fast, losable state (Redis through Upstash, or in-process). PostgreSQL stays the source of
 * truth: every use of HotState must be correct when it is empty or unreachable. Every method may
 * reject (outage, timeout); callers decide whether that is fatal (it rarely is).
 */
export interface HotState {
  get(key: string): Promise<string | null>
  /** Batch `get`: one value (or null) per key, in order. */
  mget(keys: readonly string[]): Promise<(string | null)[]>
  set(key: string, value: string, ttlSeconds?: number): Promise<void>
  del(key: string): Promise<void>
  /** Increments a counter, creating it with the TTL when new; returns the new value. */
  incr(key: string, by?: number, ttlSeconds?: number): Promise<number>
  /** Sets the key only when absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>
  /** Sets a key's time to live; false when the key does not exist. */
  expire(key: string, ttlSeconds: number): Promise<boolean>
  /** Appends to a capped feed (about `maxLen` newest entries kept); returns the entry's id. */
  feedAppend(stream: string, entry: string, maxLen: number): Promise<string>
  /**
   * Entries after `afterId`, oldest first, at most `limit`. With `afterId` null: the newest
   * `limit` entries (where a live view starts), still oldest first.
   */
  feedRead(stream: string, afterId: string | null, limit: number): Promise<FeedEntry[]>
  close?(): Promise<void>
}
