// What the dashboard keeps and reads beyond the Store: its settings per workspace, saved
// contact views, rules versions with the text as saved, and what the workspace has seen.
import type { Locale } from './i18n/index.js'

export interface DashboardSettings {
  /** An IANA time zone (`Asia/Shanghai`); dates on every page are shown in it. */
  timeZone: string
  /** The public write key for the Setup page; null until one is issued there. */
  writeKey: string | null
}

export interface SavedView {
  id: string
  name: string
  /** The contacts page's query string (without `?`). */
  query: string
}

export interface RulesVersion {
  version: number
  createdAt: string
  rules: unknown
  /** The JSON text as the person saved it (key order kept), when it was saved from here. */
  source: string | null
}

export interface SeenInWorkspace {
  /** Track event names, most frequent first. */
  events: string[]
  /** Page paths, most frequent first. */
  paths: string[]
  /** Trait names on contacts. */
  traits: string[]
  /** How many events were looked at (a bounded sample). */
  sampled: number
}

/** The dashboard's own storage (adapters/postgres/dashboard-store.ts). */
export interface DashboardStore {
  settings(workspaceId: string): Promise<DashboardSettings>
  setTimeZone(workspaceId: string, timeZone: string): Promise<void>
  /** Issues a new write key (the previous one stops working) and keeps it for the Setup page. */
  issueWriteKey(workspaceId: string): Promise<string>
  views(workspaceId: string): Promise<SavedView[]>
  saveView(workspaceId: string, name: string, query: string): Promise<SavedView>
  deleteView(workspaceId: string, id: string): Promise<void>
  rulesVersions(workspaceId: string, limit?: number): Promise<RulesVersion[]>
  rulesVersion(workspaceId: string, version: number): Promise<RulesVersion | null>
  saveRulesSource(workspaceId: string, version: number, source: string): Promise<void>
  /** The first stored event of the workspace, for the onboarding check; null before any. */
  firstEvent(
    workspaceId: string,
  ): Promise<{ type: string; event: string | null; receivedAt: string } | null>
  seen(workspaceId: string): Promise<SeenInWorkspace>
  /**
   * The contact's total score after each of its events, at the event's own time (replayed
   * under the current rules against today's traits), so imported history has its real shape.
   */
  scoreTimeline(workspaceId: string, contactId: string, now: Date): Promise<TimelinePoint[]>
  /** What saving `rules` would change, without writing (adapters/postgres/dashboard/preview.ts). */
  previewRules(workspaceId: string, rules: unknown, now: Date): Promise<RulesPreview>
  /** Deals, orders, tickets and surveys of the contact, newest first. */
  lifecycleEvents(workspaceId: string, contactId: string): Promise<LifecycleItem[]>
  /** Each contact's currency of its latest deal or order naming one (absent: none). */
  contactCurrencies(workspaceId: string, ids: string[]): Promise<Map<string, string>>
  /** The dashboard language a person chose, kept on their user (null: Accept-Language). */
  setUserLocale(workspaceId: string, userId: string, locale: Locale | null): Promise<void>
}

export interface RulesPreview {
  /** Live contacts in the workspace. */
  total: number
  /** Contacts replayed (all of them, or an even sample when `sampled`). */
  examined: number
  sampled: boolean
  /** Examined contacts whose grade would change. */
  changed: number
  before: { grade: string; count: number }[]
  after: { grade: string; count: number }[]
  movers: {
    id: string
    label: string | null
    beforeTotal: number
    afterTotal: number
    beforeGrade: string
    afterGrade: string
  }[]
}

export interface TimelinePoint {
  at: string
  total: number
  grade: string
}

export interface LifecycleItem {
  event: string
  at: string
  properties: Record<string, unknown>
}

export type { Locale }
