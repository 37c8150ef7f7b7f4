import type {
  AlertRule,
  ComputedTraitsConfig,
  ContactExportSource,
  ExportedContact,
  FiredAlert,
  Period,
  QualityReport,
  ReasonLists,
  RetentionPoint,
  SatisfactionKpis,
} from '@lodestone/lifecycle'

export type { ExportedContact }

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

/** The lifecycle part of the storage port (adapters/postgres/lifecycle-*.ts). */
export interface LifecycleStore extends ContactExportSource {
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
}
