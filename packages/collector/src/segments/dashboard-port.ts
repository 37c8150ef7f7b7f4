import type { ScoreNow } from '@lodestone/scoring'

/**
 * What the dashboard's Segments and Accounts pages read beyond the segments port
 * (segments/port.ts): a segment's member count computed without saving anything, and accounts
 * in any column's order. One implementation: adapters/postgres/segments-dashboard-reads.ts.
 */
export const ACCOUNT_SORTS = ['total', 'fit', 'engagement', 'members', 'name'] as const
export type AccountSort = (typeof ACCOUNT_SORTS)[number]

export interface RankedAccount {
  id: string
  groupId: string
  name: string | null
  traits: Record<string, unknown>
  score: ScoreNow
  members: number
}

export interface SegmentPreview {
  /** Contacts that meet the conditions now (scaled up from the sample when `sampled`). */
  members: number
  /** The workspace's contacts. */
  contacts: number
  /** Contacts evaluated: all of them, or the first PREVIEW_SAMPLE in id order. */
  examined: number
  sampled: boolean
  /** `members` is an estimate from a sample (the same as `sampled`). */
  estimate: boolean
  /** Contacts in the sample: `examined` when an estimate, else all of them. */
  sampleSize: number
  /** 95 % range of the member count (segments/estimate.ts); both `members` when exact. */
  range: { low: number; high: number }
}

export interface AudienceReads {
  /**
   * How many contacts meet `conditions` as of `now`, evaluated exactly as back-fill does
   * (segments/compile.ts) but read-only: no row is locked or written. Exact up to a sample
   * size; past it, an estimate from an even sample (it says so). Throws `invalid_segment`.
   */
  previewSegment(workspaceId: string, conditions: unknown, now: Date): Promise<SegmentPreview>
  /** A page of the workspace's accounts ordered by one column, scores as of `now`. */
  rankAccounts(
    workspaceId: string,
    opts: { sort: AccountSort; desc: boolean; limit: number; offset: number; now: Date },
  ): Promise<{ accounts: RankedAccount[]; total: number }>
}
