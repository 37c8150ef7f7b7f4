import type { ContactAlert } from '../lifecycle/port.js'
import type { ScoreChange } from '../ports.js'
import type { SegmentTransition } from './live.js'

/**
 * The segments and accounts role port (docs/segments.md, docs/accounts.md): what the routes,
 * the CLI and the time sweeper use. One implementation: adapters/postgres/segments-store.ts.
 */
export interface SegmentRef {
  id: string
  name: string
}

export interface ContactAudience {
  segments: SegmentRef[]
  accounts: { id: string; groupId: string; name: string | null; role: string }[]
}

/** What `POST /v1/segments` and `PUT /v1/segments/:id` take. */
export interface SegmentInput {
  name: string
  key?: string
  description?: string
  conditions: unknown
  /** Public to the visitor's own browser (`lodestone.segments()`); default false. */
  browser?: boolean
}

export interface SegmentView {
  id: string
  key: string
  name: string
  description: string | null
  conditions: unknown
  browser: boolean
  version: number
  status: 'building' | 'ready'
  progress: { done: number; total: number }
  members: number
  createdAt: string
  updatedAt: string
}

type Paged<K extends string> = { [P in K]: Record<string, unknown>[] } & { next: string | null }

export interface SweepOutcome {
  workspaceId: string
  changes: ScoreChange[]
  transitions: SegmentTransition[]
  alerts: ContactAlert[]
}

export interface AudiencePort {
  contactAudience(workspaceId: string, contactId: string): Promise<ContactAudience>
  createSegment(workspaceId: string, input: SegmentInput): Promise<SegmentView>
  updateSegment(workspaceId: string, id: string, input: SegmentInput): Promise<SegmentView | null>
  deleteSegment(workspaceId: string, id: string): Promise<boolean>
  listSegments(workspaceId: string): Promise<SegmentView[]>
  getSegment(
    workspaceId: string,
    id: string,
  ): Promise<(SegmentView & { daily: { day: string; members: number }[] }) | null>
  segmentMembers(
    workspaceId: string,
    id: string,
    opts: { limit: number; cursor?: string; now: Date },
  ): Promise<Paged<'contacts'> | null>
  /** The keys of the contact's segments marked `browser`, for the visitor's own browser. */
  publicSegments(
    workspaceId: string,
    ids: { anonymousId?: string; userId?: string },
  ): Promise<string[]>
  listAccounts(
    workspaceId: string,
    opts: { limit: number; cursor?: string; now: Date },
  ): Promise<Paged<'accounts'>>
  getAccount(workspaceId: string, ref: string, now: Date): Promise<Record<string, unknown> | null>
  mergeAccounts(
    workspaceId: string,
    fromGroupId: string,
    intoGroupId: string,
    now: Date,
  ): Promise<{ id: string }>
  setAccountSettings(workspaceId: string, settings: { matchDomains: boolean }): Promise<void>
  /** One back-fill batch of a building segment (`segmentId`, or any); null when none is left. */
  backfillStep(
    now: Date,
    segmentId?: string | null,
  ): Promise<{ segmentId: string; done: number; total: number; ready: boolean } | null>
  /** This process's share of the contacts time has changed (claimed, so each once). */
  runDue(now: Date): Promise<SweepOutcome[]>
  /** A back-fill batch of any building segment and, when asked, today's member counts. */
  runBackground(now: Date, opts?: { countDaily?: boolean }): Promise<void>
}
