import type { AlertRule, FiredAlert } from './alerts.js'
import type { ComputedTraitsConfig } from './computed-traits.js'
import type { QualityReport } from './quality.js'
import type { ReasonLists } from './reasons.js'
import type { Period, RetentionPoint, SatisfactionKpis } from './kpis.js'

/** A workspace's lifecycle settings; every part falls back to its default until saved. */
export interface LifecycleSettings {
  reasons: ReasonLists
  alertRules: AlertRule[]
  traitsConfig: ComputedTraitsConfig
  updatedAt: string | null
}

/** A fired alert as listed on a contact. */
export interface ContactAlert extends FiredAlert {
  id: string
  contactId: string
}

export interface KpiReport {
  from: string
  to: string
  period: Period
  overall: SatisfactionKpis
  satisfaction: (SatisfactionKpis & { period: string })[]
  retention: RetentionPoint[]
}

/** One exported contact: traits (computed ones included) and scores. */
export interface ExportedContact {
  id: string
  firstSeen: string
  lastSeen: string
  fit: number
  engagement: number
  total: number
  grade: string | null
  traits: Record<string, unknown>
}

/** The lifecycle part of the storage port (adapters/postgres/lifecycle-*.ts). */
export interface LifecycleStore {
  getLifecycleSettings(workspaceId: string): Promise<LifecycleSettings>
  /** Validates (LifecycleError) and saves one part of the settings; returns the saved whole. */
  putLifecycleSettings(
    workspaceId: string,
    part: { reasons?: unknown; alertRules?: unknown; traitsConfig?: unknown },
  ): Promise<LifecycleSettings>
  /** Alerts fired for a contact (and contacts merged into it), newest first. */
  contactAlerts(workspaceId: string, contactId: string, limit: number): Promise<ContactAlert[]>
  qualityReport(workspaceId: string): Promise<QualityReport>
  kpis(workspaceId: string, range: { from: Date; to: Date; period: Period }): Promise<KpiReport>
  /** Every trait name used by the workspace's live contacts (the CSV export's columns). */
  contactTraitKeys(workspaceId: string): Promise<string[]>
  /** Live contacts in id order, a page at a time. */
  exportContacts(
    workspaceId: string,
    opts: { limit: number; after?: string },
  ): Promise<{ contacts: ExportedContact[]; next: string | null }>
}
